"""Scenario wording, written for this project: a small French team launching "Plume 2".

Templates use ``{feature}`` (a product feature in the template's language), ``{brand}`` and
``{product}``. Each list is long enough that a day of traffic reads varied.
"""

from __future__ import annotations

__all__ = [
    "ANNOUNCEMENTS",
    "ANSWERS",
    "BIOS",
    "BOT_LINES",
    "FEATURES",
    "FOLLOW_UPS",
    "INTENT_TEXTS",
    "NAMES",
    "QUOTE_TEXTS",
    "SPAM_LINES",
    "TOPIC_TEXTS",
    "TOPIC_WORDS",
]

FEATURES: dict[str, tuple[str, ...]] = {
    "fr": (
        "la synchro hors-ligne",
        "l'export Markdown",
        "le partage de carnets",
        "le mode sombre",
        "l'app iPad",
        "le widget Android",
        "le chiffrement de bout en bout",
        "la recherche plein texte",
        "l'import depuis Evernote",
        "le système de rappels",
    ),
    "en": (
        "offline sync",
        "Markdown export",
        "shared notebooks",
        "dark mode",
        "the iPad app",
        "the Android widget",
        "end-to-end encryption",
        "full-text search",
        "Evernote import",
        "reminders",
    ),
}

INTENT_TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "question": {
        "fr": (
            "Est-ce que {feature} est dispo dans la version gratuite ?",
            "Petite question : {feature} marche aussi sur Linux ?",
            "Bonjour ! Comment on active {feature} ? Je ne trouve pas le réglage 🤔",
            "{feature}, c'est pour quand sur Android ?",
            "Est-ce que mes notes de la v1 sont migrées automatiquement ?",
            "Vous avez une date pour {feature} ? On attend ça avec l'équipe",
            "Quelqu'un sait si {feature} fonctionne avec un compte pro ?",
            "C'est combien l'abonnement annuel maintenant ? Le prix a changé avec la v2 ?",
            "Je peux utiliser {feature} sans créer de compte ?",
            "Hello, {feature} consomme beaucoup de batterie ou pas ?",
        ),
        "en": (
            "Does {feature} work on the free plan?",
            "Quick question: is {feature} available on Linux too?",
            "How do I turn on {feature}? Can't find the setting anywhere",
            "Any ETA for {feature} on Android?",
            "Will my v1 notes migrate automatically or do I need to export first?",
            "Is {feature} included in the team plan or is it an add-on?",
            "Does {feature} work without an account?",
            "What's the yearly price now? Did it change with v2?",
            "Hi! Is there a way to use {feature} with a self-hosted server?",
            "Can someone confirm {feature} works on older iPads?",
        ),
    },
    "complaint": {
        "fr": (
            "Depuis la mise à jour, {feature} ne marche plus du tout. J'ai perdu deux notes 😡",
            "L'appli plante à chaque ouverture depuis ce matin. Pas top pour un jour de lancement",
            "Trois jours que j'attends une réponse du support… toujours un bug avec {feature}",
            "Franchement déçu : {feature} a disparu de la version mobile",
            "La synchro tourne en boucle depuis la v2, impossible de bosser",
            "Pourquoi faut-il payer pour {feature} ?? C'était gratuit hier",
            "Bug : les accents disparaissent quand j'utilise {feature}",
            "La nouvelle interface est illisible sur petit écran, on peut revenir en arrière ?",
        ),
        "en": (
            "Since the update {feature} is completely broken. Lost two notes already",
            "App crashes on launch since this morning. Not great on launch day",
            "Still waiting on support after 3 days… {feature} is broken",
            "Really disappointed: {feature} is gone from the mobile app",
            "Sync has been spinning forever since v2, can't work like this",
            "Why is {feature} paid now?? It was free yesterday",
            "Bug: {feature} eats emoji and accented characters",
            "The new layout is unreadable on small screens. Any way to roll back?",
        ),
    },
    "praise": {
        "fr": (
            "{feature} est exactement ce qu'il me manquait. Bravo à toute l'équipe 👏",
            "Je viens de tester la v2 : c'est rapide, c'est propre, j'adore",
            "Enfin {feature} !! Merci merci merci",
            "Meilleure appli de notes que j'ai utilisée, et de loin",
            "La v2 est superbe. {feature} change ma façon de travailler",
            "Bravo pour le lancement, ça fait plaisir de voir une équipe française cartonner 🇫🇷",
            "Migration de mes 3000 notes sans un souci. Chapeau",
        ),
        "en": (
            "{feature} is exactly what I was missing. Congrats to the whole team 👏",
            "Just tried v2: fast, clean, love it",
            "FINALLY {feature}!! Thank you",
            "Best notes app I've used, by far",
            "v2 looks gorgeous. {feature} changes how I work",
            "Congrats on the launch, well deserved",
            "Migrated 3,000 notes without a hiccup. Impressive",
        ),
    },
    "request": {
        "fr": (
            "Ce serait génial d'avoir {feature} sur Windows aussi",
            "Vous pourriez ajouter un export PDF ? C'est la seule chose qui manque",
            "Une API publique serait top pour brancher nos outils internes",
            "S'il vous plaît, un mode tableau blanc pour la prochaine version !",
            "Vous prévoyez une version en allemand ? Mes collègues en auraient besoin",
            "J'aimerais pouvoir partager un carnet en lecture seule",
        ),
        "en": (
            "Would love {feature} on Windows too",
            "Could you add PDF export? It's the only thing missing",
            "A public API would be amazing for our internal tools",
            "Please add a whiteboard mode in the next release!",
            "Any plans for a German translation? My coworkers would need it",
            "Wish I could share a notebook read-only",
        ),
    },
    "feedback": {
        "fr": (
            "Retour après une journée sur la v2 : {feature} est bien, mais l'onboarding est long",
            "Testé {feature} : prometteur, quelques lenteurs sur les gros carnets",
            "Mitigé sur la nouvelle icône, mais {feature} rattrape tout",
        ),
        "en": (
            "Day one with v2: {feature} is nice, onboarding is a bit long",
            "Tried {feature}: promising, some lag on big notebooks",
            "Not sold on the new icon, but {feature} makes up for it",
        ),
    },
    "thanks": {
        "fr": ("Merci pour le partage !", "Merci à vous, ça marche maintenant 🙏", "Top, merci !"),
        "en": ("Thanks for sharing!", "Thank you, it works now 🙏", "Great, thanks!"),
    },
}

QUOTE_TEXTS: dict[str, tuple[str, ...]] = {
    "fr": (
        "À tester absolument si vous prenez des notes tous les jours 👇",
        "La v2 de Plume est sortie, et {feature} vaut le détour",
        "Je l'attendais celle-là. {feature} enfin là !",
        "Bon, {feature} toujours pas sur Linux… dommage",
        "Équipe française, appli soignée : foncez",
        "Mon outil préféré vient de sortir sa v2 🎉",
    ),
    "en": (
        "Worth a try if you take notes every day 👇",
        "Plume v2 is out and {feature} is worth a look",
        "Been waiting for this one. {feature} at last!",
        "Still no {feature} on Linux though…",
        "Small team, polished app: go check it out",
        "My favourite tool just shipped v2 🎉",
    ),
}

FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "fr": (
        "Merci pour la réponse rapide !",
        "Super, merci, c'est réglé",
        "Ok je teste ce soir, merci",
    ),
    "en": (
        "Thanks for the quick answer!",
        "Perfect, sorted, thanks",
        "Ok will try tonight, thanks",
    ),
}

ANSWERS: dict[str, tuple[str, ...]] = {
    "fr": (
        "Bonjour ! Oui, c'est inclus. Réglages > Synchronisation pour l'activer 🙂",
        "Désolés pour le souci ! On regarde ça tout de suite, vous pouvez nous écrire en DM ?",
        "Merci pour le retour, c'est noté pour la prochaine version !",
        "C'est prévu pour cet automne, on vous tient au courant 🙌",
    ),
    "en": (
        "Hi! Yes, it's included. Settings > Sync to turn it on 🙂",
        "Sorry about that! We're on it, could you DM us the details?",
        "Thanks for the feedback, it's on the list for the next release!",
        "It's planned for this fall, we'll keep you posted 🙌",
    ),
}

ANNOUNCEMENTS: tuple[tuple[float, str, str], ...] = (
    (-20.0, "fr", "Demain, 9 h. Quelque chose de nouveau arrive chez Plume… ✍️"),
    (
        0.15,
        "fr",
        "Plume 2 est là ! Synchro hors-ligne, carnets partagés, export Markdown et un "
        "tout nouveau mode sombre. Disponible dès maintenant sur iOS, Android et le web 🎉",
    ),
    (
        0.2,
        "en",
        "Plume 2 is live! Offline sync, shared notebooks, Markdown export and a brand-new "
        "dark mode. Available now on iOS, Android and the web 🎉",
    ),
    (
        3.0,
        "fr",
        "Vous êtes déjà des milliers à avoir migré vers la v2, merci ! Un souci ? "
        "Répondez ici, on lit tout.",
    ),
    (7.5, "en", "Live Q&A with the team tonight at 6 pm CET: bring your questions about Plume 2!"),
    (13.0, "fr", "Petit tuto : activer la synchro hors-ligne en 3 étapes 👇"),
)

SPAM_LINES: dict[str, tuple[str, ...]] = {
    "fr": (
        "🔥 Gagnez 500€ par jour depuis chez vous ! Infos en DM 👉 gains-rapides.win",
        "Boostez vos abonnés : 10 000 followers pour 9€ seulement → followboost.shop",
        "Crypto airdrop GRATUIT, places limitées 🚀 airdrop-libre.xyz",
    ),
    "en": (
        "🔥 Earn $500/day from home! DM me 👉 quick-cash.win",
        "Grow your audience: 10k followers for $9 → followboost.shop",
        "FREE crypto airdrop, limited spots 🚀 claim-drop.xyz",
        "Hey dear, check my profile for something special 😘",
    ),
}

BOT_LINES: tuple[str, ...] = (
    "Great post! 👍",
    "Nice content, follow back? 🙏",
    "Interesting! Check my page for more",
    "Super post 👏👏",
    "Love this 🔥🔥🔥",
)

TOPIC_WORDS: tuple[str, ...] = (
    "prise de notes",
    "note-taking",
    "markdown",
    "second brain",
    "productivité",
    "productivity",
    "journaling",
    "zettelkasten",
    "pkm",
    "open source",
    "bullet journal",
    "outils",
)

TOPIC_TEXTS: dict[str, tuple[str, ...]] = {
    "fr": (
        "Ma routine de prise de notes en 2026 : un carnet par projet, une note par idée, et du "
        "markdown partout.",
        "Thread : comment j'organise mon second brain sans y passer mes soirées 🧵",
        "Le zettelkasten, c'est surtout une discipline, pas un logiciel. Avis ?",
        "Je cherche une appli de notes qui marche hors-ligne et sur Linux. Des idées ?",
        "Productivité : arrêter de tout noter m'a rendu plus efficace. Paradoxal mais vrai.",
        "Bullet journal papier ou numérique ? Je n'arrive pas à trancher",
        "Nouvelle vidéo : mes 5 outils de prise de notes préférés pour étudiants 🎓",
        "Les formats ouverts (markdown, txt) pour vos notes, c'est la meilleure assurance.",
    ),
    "en": (
        "My 2026 note-taking setup: one notebook per project, one note per idea, markdown "
        "everywhere.",
        "Thread: how I run my second brain without spending every evening on it 🧵",
        "Zettelkasten is a discipline, not an app. Thoughts?",
        "Looking for a note-taking app that works offline and on Linux. Suggestions?",
        "Productivity tip: I take fewer notes and get more done.",
        "Paper or digital bullet journal? Still can't decide",
        "New video: my 5 favourite note-taking tools for students 🎓",
        "Open formats (markdown, plain text) are the best insurance for your notes. PKM 101.",
        "Journaling daily for a year changed how I plan my week",
    ),
}

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fr": (
        (
            "Camille",
            "Léa",
            "Hugo",
            "Manon",
            "Lucas",
            "Chloé",
            "Théo",
            "Inès",
            "Nathan",
            "Sarah",
            "Julien",
            "Élodie",
            "Karim",
            "Yasmine",
            "Antoine",
            "Margaux",
            "Bastien",
            "Noémie",
            "Sébastien",
            "Aurélie",
        ),
        (
            "Martin",
            "Bernard",
            "Dubois",
            "Lefèvre",
            "Moreau",
            "Garnier",
            "Rousseau",
            "Fournier",
            "Girard",
            "Benali",
            "Lambert",
            "Fontaine",
            "Chevalier",
            "Robin",
            "Nguyen",
        ),
    ),
    "en": (
        (
            "Emma",
            "Olivia",
            "Liam",
            "Noah",
            "Ava",
            "Mia",
            "Ethan",
            "Grace",
            "Jack",
            "Chloe",
            "Daniel",
            "Priya",
            "Sam",
            "Maya",
            "Owen",
            "Hannah",
            "Leo",
            "Zoe",
            "Aaron",
            "Ruby",
        ),
        (
            "Smith",
            "Johnson",
            "Brown",
            "Taylor",
            "Walker",
            "Patel",
            "Clarke",
            "Evans",
            "Hughes",
            "Murphy",
            "Kim",
            "Baker",
            "Turner",
            "Shaw",
            "Reid",
        ),
    ),
}

BIOS: dict[str, tuple[str, ...]] = {
    "fr": (
        "Développeuse web à Lyon. Café, vélo, notes.",
        "Prof de maths. Fan de carnets.",
        "Designer produit ✏️ Paris",
        "Étudiant en médecine, je note tout.",
        "Freelance UX. Avis perso.",
        "Journaliste tech. Mes opinions n'engagent que moi.",
        "",
        "Papa, geek, jardinier du dimanche",
    ),
    "en": (
        "Web developer. Coffee, bikes, notes.",
        "Maths teacher. Notebook nerd.",
        "Product designer ✏️ London",
        "Med student, I write everything down.",
        "Freelance UX. Views my own.",
        "Tech reporter. Opinions mine.",
        "",
        "Dad, geek, weekend gardener",
    ),
}
