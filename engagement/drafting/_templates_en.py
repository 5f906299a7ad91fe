"""English reply templates: three angles per intent, two wordings per angle.

Mini-syntax (see ``_render``): ``{name}``, ``{topic}``, ``{brand}`` slots; ``[…]`` marks an
optional segment (dropped for the punchy tone, when the topic is unknown, or to fit).
"""

from __future__ import annotations

from engagement.drafting._models import Intent

Angle = tuple[str, tuple[str, ...]]

TEMPLATES: dict[Intent, tuple[Angle, Angle, Angle]] = {
    Intent.QUESTION: (
        (
            "answer",
            (
                "Good question, {name}! [About “{topic}”: ]we're checking the details and will "
                "post a precise answer right here in the thread, so others can benefit too.",
                "Thanks for asking, {name}! [On “{topic}”, ]we'll reply here with a clear answer "
                "shortly, so everyone following along gets it too.",
            ),
        ),
        (
            "clarify",
            (
                "Thanks for the question, {name}! [To answer well about “{topic}”, ]could you tell "
                "us a bit more: what are you trying to do, and on which device or version?",
                "Happy to help, {name}! [Before we answer on “{topic}”, ]one detail: what have you "
                "tried so far? That way we give you the right answer the first time.",
            ),
        ),
        (
            "resource",
            (
                "Hi {name}, thanks for reaching out! Our help center covers this step by step[ "
                "for “{topic}”]. If anything is still unclear, send us a DM and we'll sort it out "
                "together.",
                "Thanks for asking, {name}! There's a short guide on this in our help pages[ about "
                "“{topic}”]. Still stuck after that? DM us and we'll walk you through it.",
            ),
        ),
    ),
    Intent.COMPLAINT: (
        (
            "empathy_dm",
            (
                "We're really sorry, {name}, that's not the experience we want for you. Could you "
                "DM us the details? We'll look into it right away and keep you posted.",
                "So sorry about this, {name}. That shouldn't happen. Send us a DM with what "
                "happened and we'll make it right as quickly as we can.",
            ),
        ),
        (
            "acknowledge",
            (
                "Thanks for telling us, {name}, and sorry for the trouble[ with “{topic}”]. We "
                "hear you. Could you share a bit more about what happened so we can fix it?",
                "Sorry for the hassle, {name}, and thank you for flagging it[ (“{topic}”)]. What "
                "exactly went wrong on your side? Every detail helps us fix it faster.",
            ),
        ),
        (
            "escalate",
            (
                "Sorry about this, {name}. We've flagged it to the team[ in charge of “{topic}”] "
                "and will come back to you here with an update as soon as we have one.",
                "We're on it, {name}, and sorry for the wait. The right people are looking at "
                "it[ (“{topic}”)] now; we'll update you in this thread today.",
            ),
        ),
    ),
    Intent.PRAISE: (
        (
            "thank_ask",
            (
                "Thank you so much, {name}! [Glad “{topic}” hit the mark. ]What did you like "
                "most? We'd love to hear.",
                "Thanks a lot, {name}, this really made our day! [So happy about “{topic}”. ]What "
                "stood out for you?",
            ),
        ),
        (
            "credit_team",
            (
                "This made our day, {name}! We'll pass your kind words on to the whole team. "
                "Anything you'd like to see next?",
                "Thank you, {name}! Sharing this with everyone who worked on it[ (“{topic}”)]. "
                "What should we build next?",
            ),
        ),
        (
            "keep_close",
            (
                "Thanks, {name}, that means a lot! More is on the way, so stay tuned and tell us "
                "what you think when it lands.",
                "Really appreciate it, {name}! We've got more coming soon[ on “{topic}”]. Would "
                "you like to try it early and tell us what you think?",
            ),
        ),
    ),
    Intent.REPOST: (
        (
            "thank_share",
            (
                "Thanks for sharing, {name}! Spreading the word means a lot to us. What made you "
                "want to pass it on?",
                "Thank you for the repost, {name}! It really helps. What caught your eye?",
            ),
        ),
        (
            "community",
            (
                "Thanks for passing it on, {name}! Curious: what do your followers think of it?",
                "Much appreciated, {name}! We'd love to know how it lands with your community.",
            ),
        ),
        (
            "next",
            (
                "Thanks for the share, {name}! [More on “{topic}” is coming soon. ]Stay tuned, "
                "and let us know what you'd like to see next.",
                "Thank you, {name}! Glad it was worth sharing. What would you like us to cover "
                "next[ about “{topic}”]?",
            ),
        ),
    ),
    Intent.QUOTE: (
        (
            "engage_take",
            (
                "Thanks for adding your take, {name}! [Your point on “{topic}” is spot on. ]What "
                "would you add from your own experience?",
                "Love your take, {name}, thanks for sharing it! [“{topic}” is a great angle. ]How "
                "did you come to see it that way?",
            ),
        ),
        (
            "follow_up",
            (
                "Thanks for quoting us, {name}! If you could change one thing about it, what "
                "would it be?",
                "Thank you for sharing this in your own words, {name}! What's the one thing "
                "you'd improve?",
            ),
        ),
        (
            "invite_others",
            (
                "Thank you, {name}, great point! Curious what others think too: anyone want to "
                "weigh in?",
                "Well said, {name}, thanks! [“{topic}” deserves a real conversation. ]What do "
                "the rest of you think?",
            ),
        ),
    ),
    Intent.FOLLOW: (
        (
            "welcome",
            (
                "Welcome aboard, {name}! Glad to have you here. Expect tips, news and "
                "behind-the-scenes from {brand}.",
                "Hi {name}, welcome! Thanks for the follow. You'll get news, tips and the odd "
                "behind-the-scenes story from {brand}.",
            ),
        ),
        (
            "ask_interest",
            (
                "Hi {name}, thanks for the follow! What brings you here? Anything you'd like us "
                "to talk about?",
                "Thanks for following, {name}! What would you most like to see from us?",
            ),
        ),
        (
            "start_here",
            (
                "Thanks for following, {name}! Our pinned post is a good place to start. Say hi "
                "anytime, we read every reply.",
                "Welcome, {name}! Start with our pinned post, and don't hesitate to reply: a real "
                "person reads every message.",
            ),
        ),
    ),
    Intent.CREATOR: (
        (
            "compliment",
            (
                "Really enjoyed this, {name}[, your take on “{topic}” is great]. What got you "
                "started on the subject?",
                "Great post, {name}! [Your angle on “{topic}” is refreshing. ]What are you "
                "exploring next?",
            ),
        ),
        (
            "compare_notes",
            (
                "Great thread, {name}! We've been working on this too[ (“{topic}”)] and would "
                "love to compare notes. What's been your biggest lesson so far?",
                "Love this, {name}! We see the same thing[ around “{topic}”] on our side. What "
                "surprised you the most?",
            ),
        ),
        (
            "open_door",
            (
                "Hi {name}, love what you're making! We'd be happy to chat[ about “{topic}”] "
                "sometime. Open to a conversation?",
                "Hi {name}, big fan of your work! If you ever want to swap ideas[ on “{topic}”], "
                "our door is open. What do you think?",
            ),
        ),
    ),
}

STORY: dict[Intent, str] = {
    Intent.QUESTION: "We get this one a lot, and every question helps us improve our guides.",
    Intent.COMPLAINT: "Every report like yours helps us fix things for everyone.",
    Intent.PRAISE: "Messages like yours are why we do this.",
    Intent.REPOST: "Every share helps a small team like ours reach new people.",
    Intent.QUOTE: "Conversations like this are where our best ideas started.",
    Intent.FOLLOW: "We started with a handful of followers, so every new one counts.",
    Intent.CREATOR: "Some of our best ideas came from creators like you.",
}

INTERJECTIONS: tuple[str, ...] = ("Yay!", "Woohoo!", "Oh, hello!")

DEFAULT_BRAND = "our team"
