"""French reply templates: three angles per intent, two wordings per angle.

Same mini-syntax as the English ones, plus ``<tu form|vous form>`` for formality.
"""

from __future__ import annotations

from engagement.drafting._models import Intent
from engagement.drafting._templates_en import Angle

TEMPLATES: dict[Intent, tuple[Angle, Angle, Angle]] = {
    Intent.QUESTION: (
        (
            "answer",
            (
                "Bonne question, {name} ! [Au sujet de « {topic} », ]on vérifie les détails et on "
                "<te|vous> répond précisément ici même, pour que tout le monde en profite.",
                "Merci pour <ta|votre> question, {name} ! [Sur « {topic} », ]on <te|vous> répond "
                "ici très vite, avec une réponse claire pour tous ceux qui suivent.",
            ),
        ),
        (
            "clarify",
            (
                "Merci pour <ta|votre> question, {name} ! [Pour bien <te|vous> répondre sur "
                "« {topic} », ]<peux-tu|pouvez-vous> nous en dire un peu plus : que <cherches-tu|"
                "cherchez-vous> à faire, et sur quel appareil ou quelle version ?",
                "Avec plaisir, {name} ! [Avant de répondre sur « {topic} », ]un détail : "
                "qu'<as-tu|avez-vous> déjà essayé ? Ça nous aidera à <te|vous> donner la bonne "
                "réponse du premier coup.",
            ),
        ),
        (
            "resource",
            (
                "Bonjour {name}, merci de nous écrire ! Notre centre d'aide explique tout pas à "
                "pas[ pour « {topic} »]. Si quelque chose reste flou, <écris|écrivez>-nous en "
                "message privé et on regarde ensemble.",
                "Merci pour la question, {name} ! Un petit guide existe dans notre aide en "
                "ligne[ sur « {topic} »]. Toujours bloqué·e ensuite ? <Écris|Écrivez>-nous en "
                "privé, on <t'|vous >accompagne.",
            ),
        ),
    ),
    Intent.COMPLAINT: (
        (
            "empathy_dm",
            (
                "Vraiment désolés, {name}, ce n'est pas l'expérience qu'on <te|vous> souhaite. "
                "<Peux-tu|Pouvez-vous> nous envoyer les détails en message privé ? On regarde "
                "tout de suite et on <te|vous> tient au courant.",
                "Toutes nos excuses, {name}, ça ne devrait pas arriver. <Envoie|Envoyez>-nous "
                "ce qui s'est passé en privé, on fait le nécessaire au plus vite.",
            ),
        ),
        (
            "acknowledge",
            (
                "Merci de nous l'avoir signalé, {name}, et désolés pour la gêne[ avec "
                "« {topic} »]. On <t'|vous >entend. <Peux-tu|Pouvez-vous> nous en dire plus sur "
                "ce qui s'est passé pour qu'on corrige ?",
                "Désolés pour ce souci, {name}, et merci de le signaler[ (« {topic} »)]. Qu'est-ce "
                "qui n'a pas marché exactement de <ton|votre> côté ? Chaque détail nous aide à "
                "corriger plus vite.",
            ),
        ),
        (
            "escalate",
            (
                "Désolés, {name}. On a transmis à l'équipe[ qui s'occupe de « {topic} »] et on "
                "revient vers <toi|vous> ici dès qu'on a du nouveau.",
                "On s'en occupe, {name}, et désolés pour l'attente. Les bonnes personnes "
                "regardent[ (« {topic} »)] dès maintenant ; on <te|vous> fait un point ici "
                "aujourd'hui.",
            ),
        ),
    ),
    Intent.PRAISE: (
        (
            "thank_ask",
            (
                "Merci beaucoup, {name} ! [Ravis que « {topic} » <te|vous> plaise. ]Qu'est-ce "
                "qui <t'a|vous a> le plus plu ? On a hâte de lire <ton|votre> avis.",
                "Un grand merci, {name}, ça nous fait super plaisir ! [Contents pour "
                "« {topic} ». ]Qu'est-ce qui <t'a|vous a> marqué ?",
            ),
        ),
        (
            "credit_team",
            (
                "Ça illumine notre journée, {name} ! On transmet <tes|vos> mots à toute l'équipe. "
                "Qu'est-ce que <tu aimerais|vous aimeriez> voir ensuite ?",
                "Merci, {name} ! On partage ça avec tous ceux qui y ont travaillé[ (« {topic} »)]. "
                "On fait quoi ensuite, d'après <toi|vous> ?",
            ),
        ),
        (
            "keep_close",
            (
                "Merci, {name}, ça compte beaucoup pour nous ! D'autres nouveautés arrivent, "
                "<reste|restez> à l'écoute et <dis|dites>-nous ce que <tu en penses|"
                "vous en pensez>.",
                "Merci infiniment, {name} ! D'autres choses arrivent bientôt[ sur « {topic} »]. "
                "<Tu veux|Vous voulez> les tester en avant-première et nous donner <ton|votre> "
                "avis ?",
            ),
        ),
    ),
    Intent.REPOST: (
        (
            "thank_share",
            (
                "Merci pour le partage, {name} ! Faire passer le mot, ça compte énormément pour "
                "nous. Qu'est-ce qui <t'a|vous a> donné envie de relayer ?",
                "Merci pour le repost, {name}, ça nous aide vraiment ! Qu'est-ce qui <t'a|vous a> "
                "plu ?",
            ),
        ),
        (
            "community",
            (
                "Merci d'avoir relayé, {name} ! Curieux de savoir : qu'en pense <ta|votre> "
                "communauté ?",
                "Merci beaucoup, {name} ! On aimerait savoir comment c'est reçu chez <tes|vos> "
                "abonnés.",
            ),
        ),
        (
            "next",
            (
                "Merci pour le partage, {name} ! [La suite sur « {topic} » arrive bientôt. ]"
                "<Reste|Restez> à l'écoute et <dis|dites>-nous ce que <tu aimerais|vous aimeriez> "
                "voir ensuite.",
                "Merci, {name} ! Ravis que ça valait le partage. De quoi <veux-tu|voulez-vous> "
                "qu'on parle ensuite[ sur « {topic} »] ?",
            ),
        ),
    ),
    Intent.QUOTE: (
        (
            "engage_take",
            (
                "Merci d'avoir ajouté <ton|votre> regard, {name} ! [<Ton|Votre> point sur "
                "« {topic} » est très juste. ]Qu'est-ce que <tu ajouterais|vous ajouteriez> de "
                "<ton|votre> expérience ?",
                "<Ton|Votre> point de vue nous plaît beaucoup, {name}, merci ! [« {topic} », "
                "c'est un super angle. ]Comment en <es-tu|êtes-vous> arrivé·e là ?",
            ),
        ),
        (
            "follow_up",
            (
                "Merci de nous citer, {name} ! Si <tu pouvais|vous pouviez> changer une chose, "
                "ce serait laquelle ?",
                "Merci d'en parler avec <tes|vos> mots, {name} ! Quelle est la chose que <tu "
                "améliorerais|vous amélioreriez> en premier ?",
            ),
        ),
        (
            "invite_others",
            (
                "Merci, {name}, très bon point ! On est curieux de l'avis des autres aussi : "
                "qui veut donner le sien ?",
                "Bien dit, {name}, merci ! [« {topic} » mérite une vraie discussion. ]Curieux "
                "d'avoir d'autres avis : qui veut réagir ?",
            ),
        ),
    ),
    Intent.FOLLOW: (
        (
            "welcome",
            (
                "Bienvenue, {name} ! Ravis de <t'|vous >avoir parmi nous. Au programme : conseils, "
                "nouveautés et coulisses de {brand}.",
                "Bonjour {name}, bienvenue ! Merci pour le follow. <Tu trouveras|Vous trouverez> "
                "ici des nouvelles, des astuces et quelques coulisses de {brand}.",
            ),
        ),
        (
            "ask_interest",
            (
                "Bonjour {name}, merci pour le follow ! Qu'est-ce qui <t'amène|vous amène> ici ? "
                "Un sujet dont <tu aimerais|vous aimeriez> qu'on parle ?",
                "Merci de nous suivre, {name} ! Qu'est-ce que <tu aimerais|vous aimeriez> voir "
                "le plus chez nous ?",
            ),
        ),
        (
            "start_here",
            (
                "Merci de nous suivre, {name} ! Notre post épinglé est un bon point de départ. "
                "<N'hésite|N'hésitez> pas à nous écrire, on lit chaque réponse.",
                "Bienvenue, {name} ! <Commence|Commencez> par notre post épinglé, et <n'hésite|"
                "n'hésitez> pas à répondre : une vraie personne lit chaque message.",
            ),
        ),
    ),
    Intent.CREATOR: (
        (
            "compliment",
            (
                "Super contenu, {name}[, <ton|votre> regard sur « {topic} » est top]. Qu'est-ce "
                "qui <t'a|vous a> amené·e à ce sujet ?",
                "Très bon post, {name} ! [<Ton|Votre> angle sur « {topic} » fait du bien. ]Sur "
                "quoi <travailles-tu|travaillez-vous> ensuite ?",
            ),
        ),
        (
            "compare_notes",
            (
                "Super fil, {name} ! On travaille aussi sur ce sujet[ (« {topic} »)] et on "
                "aimerait comparer nos notes. Quelle a été <ta|votre> plus grosse leçon ?",
                "On adore, {name} ! On voit la même chose de notre côté[ sur « {topic} »]. "
                "Qu'est-ce qui <t'a|vous a> le plus surpris·e ?",
            ),
        ),
        (
            "open_door",
            (
                "Bonjour {name}, on aime beaucoup ce que <tu fais|vous faites> ! On serait ravis "
                "d'échanger[ sur « {topic} »] un de ces jours. <Ça te dit|Ça vous dit> ?",
                "Bonjour {name}, fans de <ton|votre> travail ! Si <tu as|vous avez> envie "
                "d'échanger des idées[ sur « {topic} »], notre porte est ouverte. <T'en dis|Vous "
                "en dites> quoi ?",
            ),
        ),
    ),
}

STORY: dict[Intent, str] = {
    Intent.QUESTION: (
        "On nous la pose souvent, et chaque question nous aide à améliorer nos guides."
    ),
    Intent.COMPLAINT: (
        "Chaque signalement comme le <tien|vôtre> nous aide à corriger pour tout le monde."
    ),
    Intent.PRAISE: "Ce sont des messages comme le <tien|vôtre> qui nous font avancer.",
    Intent.REPOST: "Chaque partage aide une petite équipe comme la nôtre à se faire connaître.",
    Intent.QUOTE: "C'est dans ce genre d'échanges que sont nées nos meilleures idées.",
    Intent.FOLLOW: "On a commencé avec une poignée d'abonnés, alors chaque nouveau compte.",
    Intent.CREATOR: "Certaines de nos meilleures idées viennent de créateurs comme <toi|vous>.",
}

INTERJECTIONS: tuple[str, ...] = ("Youpi !", "Oh, génial !", "Yes !")

DEFAULT_BRAND = "notre équipe"
