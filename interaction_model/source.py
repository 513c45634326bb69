"""The one source of the interaction model: invocation name, intents, sample utterances, slot types.

Every locale's ASK JSON is generated from this module by `python -m interaction_model.build`,
so the locales cannot drift apart on intents or slots. Edit the phrases here, run the build,
commit both. Samples follow Alexa's rules: lower-case words, apostrophes, periods only in
abbreviations, single spaces, `{slot}` in braces, numbers spelled out, and no sample twice.

The built-in intents keep Alexa's own phrasings; the samples listed for them here only add
phrasings that this coach needs (Alexa extends built-ins with them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "INTENTS",
    "INVOCATION_NAME",
    "LOCALES",
    "SLOT_TYPES",
    "IntentSpec",
    "SlotValue",
]

INVOCATION_NAME = "massage coach"
"""What users say after "Alexa, open ..."."""

LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
"""The English locales the skill is published in; all share one model."""


@dataclass(frozen=True)
class IntentSpec:
    """One intent as it appears in every locale's model."""

    name: str
    """The intent name the handlers match on (custom, or an `AMAZON.` built-in)."""
    samples: tuple[str, ...]
    """Sample utterances, in Alexa's syntax."""
    slots: tuple[tuple[str, str], ...] = ()
    """(slot name, slot type) pairs, in declaration order."""


@dataclass(frozen=True)
class SlotValue:
    """One value of a custom slot type, as Alexa's entity resolution returns it."""

    id: str
    """The stable id the skill receives (a routine id, a symptom code)."""
    name: str
    """The canonical value."""
    synonyms: tuple[str, ...] = field(default=())
    """Other ways people say it; they resolve to the same id and name."""


def _lines(block: str) -> tuple[str, ...]:
    """The non-empty lines of a block, stripped: keeps the phrase lists readable below."""
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


INTENTS: tuple[IntentSpec, ...] = (
    IntentSpec(
        "StartRoutineIntent",
        _lines("""
            start
            begin
            let's begin
            let's get started
            get started
            start a routine
            start a session
            start my routine
            start a massage
            start the massage
            start {routine}
            start the {routine}
            start the {routine} routine
            start my {routine} routine
            begin {routine}
            begin the {routine}
            begin the {routine} routine
            do {routine}
            do the {routine}
            do the {routine} routine
            let's do {routine}
            let's do the {routine}
            let's do the {routine} routine
            run the {routine}
            run the {routine} routine
            switch to {routine}
            switch to the {routine}
            switch to the {routine} routine
            try the {routine}
            try the {routine} routine
            i want to do {routine}
            i want to do the {routine}
            i'd like to do the {routine}
            i want the {routine} routine
            give me the {routine}
            give me the {routine} routine
            guide me through the {routine}
            walk me through the {routine}
            take me through the {routine}
            coach me through the {routine}
            {routine}
            the {routine} routine
            {routine} routine
            {routine} please
        """),
        (("routine", "ROUTINE_NAME"),),
    ),
    IntentSpec(
        "ListRoutinesIntent",
        _lines("""
            list routines
            list the routines
            list all routines
            list of routines
            what routines are there
            what routines do you have
            which routines do you have
            which routines are there
            which routines are available
            what routines can i do
            what are the routines
            what can i choose from
            tell me the routines
            read me the routines
            read out the routines
            show me the routines
            show the routines
            what massages do you have
            what kinds of massage are there
            what other routines are there
            what else is there
            give me the list
            what sessions do you have
            what do you offer
            routines
        """),
    ),
    # Not "too quick": "that was too quick for me to catch" is about the words, not the hold.
    # More time said as first-time users ask for it ("more time in each stretch", "add on
    # another minute", "give me longer"). Not statements of how the count goes on ("could the
    # count go on a bit more"): their words took the guesser's right guesses away.
    # Staying on each one longer and stretching the holds out; not a bare "stretch them out"
    # ("stretch them out on the line to dry").
    IntentSpec(
        "LongerHoldIntent",
        _lines("""
            longer hold
            a longer hold
            longer holds
            longer
            hold longer
            hold it longer
            hold that longer
            hold a bit longer
            hold a little longer
            a bit longer
            a little longer
            make it longer
            make the hold longer
            make the holds longer
            give me more time
            more time
            i need more time
            i need longer
            let me hold it longer
            not long enough
            that's not long enough
            that was too short
            too short
            extend the hold
            extend it
            slow down
            hold {duration} longer
            hold it {duration} longer
            hold for {duration} longer
            make it {duration} longer
            make the hold {duration} longer
            {duration} longer
            {duration} more
            give me {duration} more
            i need {duration} more
            another {duration}
            add {duration}
            add {duration} to the hold
            extend the hold by {duration}
            extend it by {duration}
            let me stay here longer
            stay here longer
            stay longer
            keep this hold going
            keep the hold going
            increase the hold
            increase the holding time
            increase the hold time
            extra {duration}
            make them longer
            hold this longer
            hold this one longer
            lengthen the hold
            lengthen it
            lengthen the hold by {duration}
            lengthen it by {duration}
            double the hold
            another {duration} on this one
            another {duration} on this stretch
            more time on each stretch
            more time in each stretch
            more time per stretch
            more time on each hold
            make the holds last longer
            make them last longer
            i'd like the holds to last longer
            add on {duration}
            add on another {duration}
            add another {duration}
            give me another {duration}
            make these holds longer
            give me longer
            hold it for longer
            hold for longer
            let me hold it for longer
            increase the hold by {duration}
            increase the hold time by {duration}
            increase it by {duration}
            stretch the hold out by {duration}
            stay on each one longer
            stay on each one a bit more
            stay on each one for longer
            stay on each stretch longer
            stay on each one a bit longer
            stretch the holds out
            stretch them out a bit
        """),
        (("duration", "AMAZON.DURATION"),),
    ),
    # "Make short" and "decrease the holding time" as non-native speakers say them; not "make it
    # short", which may ask for brief instructions ("keep it short" is BriefInstructionsIntent).
    # Less time said by first-time users ("less time per stretch", "cut it by half a minute",
    # "halve the holds"). Not "halve it" ("halve it and put it in the oven") nor statements such
    # as "the holds are too long", which made the guesser ask about "the film was too long".
    IntentSpec(
        "ShorterHoldIntent",
        _lines("""
            shorter hold
            a shorter hold
            shorter holds
            shorter
            hold shorter
            hold it shorter
            a bit shorter
            a little shorter
            make it shorter
            make the hold shorter
            make the holds shorter
            less time
            not so long
            that's too long
            that was too long
            too long
            shorten the hold
            shorten it
            speed up
            hold for less time
            hold {duration} less
            hold it {duration} shorter
            {duration} shorter
            {duration} less
            make it {duration} shorter
            make the hold {duration} shorter
            take off {duration}
            shorten the hold by {duration}
            shorten it by {duration}
            take {duration} off
            take {duration} off the hold
            knock {duration} off
            knock off {duration}
            cut the hold down by {duration}
            cut {duration} off
            reduce the hold
            reduce hold time
            reduce the hold time
            less time per hold
            less time on each hold
            reduce by {duration}
            reduce the hold by {duration}
            cut the holds by {duration}
            cut them down
            a shorter count
            shorter count
            make them shorter
            make short
            make them short
            make the hold short
            decrease the hold
            decrease the hold time
            decrease the holding time
            reduce the holding time
            reduce the time of the hold
            trim the hold
            not as long
            don't make them so long
            don't make it so long
            less time per stretch
            less time on each stretch
            less time in each stretch
            less time for each one
            drop the hold by {duration}
            drop the holds by {duration}
            drop it by {duration}
            cut it by {duration}
            cut the hold by {duration}
            cut it down by {duration}
            less {duration}
            halve the hold
            halve the holds
            make the holds quicker
            quicker holds
            the holds need to be quicker
            the holds need to be shorter
            shorten them
            shorten the holds
            make these holds shorter
            make these holds quicker
            i'd prefer them shorter
            drop them by {duration}
            drop each one by {duration}
            shave {duration} off
            shave off {duration}
            shave {duration} off the hold
        """),
        (("duration", "AMAZON.DURATION"),),
    ),
    # "The holding" and "each" as non-native and first-time users set a hold ("please make the
    # holding one minute", "a minute per stretch", "let's go with one minute holds").
    IntentSpec(
        "SetHoldIntent",
        _lines("""
            hold for {duration}
            hold it for {duration}
            hold {duration}
            hold each stretch for {duration}
            hold each one for {duration}
            set the hold to {duration}
            set hold to {duration}
            set the hold time to {duration}
            set the timer to {duration}
            change the hold to {duration}
            make the hold {duration}
            make it {duration}
            make each hold {duration}
            make the holds {duration}
            i want {duration} holds
            i want to hold for {duration}
            let's hold for {duration}
            let's do {duration}
            let's try {duration}
            try {duration}
            use {duration}
            {duration} holds
            {duration} hold
            {duration}
            {duration} on this one
            {duration} on this stretch
            set a timer for {duration}
            set the timer for {duration}
            make them {duration} each
            make them {duration}
            make the holding {duration}
            make the holding time {duration}
            set the holding time to {duration}
            make the hold time {duration}
            let's go with {duration}
            let's go with {duration} holds
            go with {duration} holds
            {duration} per stretch
            {duration} for each stretch
            {duration} each
            put the hold on {duration}
            put the time of hold on {duration}
        """),
        (("duration", "AMAZON.DURATION"),),
    ),
    # Skipping in the verbs of non-native and British speakers (pass, jump, omit, move past).
    # Checked against every corpus half's chat lines ("pass me the remote", "pass the salt",
    # "just leave the post on the side"): none is read. A bare "leave this one" is not a sample:
    # "leave this one for me" is said of a biscuit as often as of a stretch. "I can't do this
    # one" is a skip (the safety detector reads "I can't lift my foot" apart; no corpus chat line
    # says it).
    # "Let's not do this one", "not doing this one": not "i'm not doing this one", whose "am"
    # made "i am done skip this step" no longer a close call between two commands.
    IntentSpec(
        "SkipIntent",
        _lines("""
            skip
            skip this
            skip this one
            skip it
            skip that
            skip this step
            skip this stretch
            skip this exercise
            skip the step
            skip ahead
            let's skip this
            let's skip this one
            not this one
            i don't want to do this one
            i don't like this one
            leave this one out
            leave it out
            jump ahead
            pass
            give this one a miss
            give it a miss
            jump over this one
            jump over it
            skip over this one
            pass on this
            miss this one out
            skipping this
            pass this one
            jump this one
            jump this exercise
            omit this exercise
            skip to the next one
            skip past this one
            move past it
            i'd rather not do this one
            i can't do this one
            i can't manage this one
            this one's not for me
            this one is not for me
            drop this one
            let's drop this one
            drop this stretch
            drop this exercise
            i don't want to do this step
            i don't want to do this stretch
            i don't want to do this exercise
            leave this exercise
            leave this stretch
            leave this step
            let's not do this one
            let's not do this
            let's not do that one
            we won't do this one
            not doing this one
            i'll skip this one
            i'll skip this
        """),
    ),
    # "Nearly done" and "almost finished" are here so that "finished" alone (NextIntent) does not
    # read them. A bare "what's left" is not a sample ("what's left in the fridge"), nor "are we
    # there yet" (a car trip).
    # First-time users ask where they are in their own words ("when does this stretch end",
    # "what number are we on", "am I halfway yet", "how long is the rest of this").
    IntentSpec(
        "ProgressIntent",
        _lines("""
            how many left
            how many are left
            how many more
            how many to go
            how many steps are left
            how many steps left
            how many more steps
            how many stretches are left
            how many reps are left
            how long is left
            how long left
            how long to go
            how much longer
            how much is left
            how much time is left
            how much time left
            how many seconds left
            how many seconds are left
            how long have i got
            how far along am i
            where am i
            what step is this
            what step am i on
            which step am i on
            how many after this
            how long have we got
            is this the last one
            progress
            are we nearly done
            are we almost done
            am i almost done
            how long does this take
            how many stretches to go
            how many steps to go
            how many exercises are left
            where am i in the routine
            how far along are we
            how far are we
            how much still remains
            how much remains
            where are we up to
            where are we up to now
            which exercise are we on
            are we nearly finished
            are we almost finished
            nearly finished
            almost finished
            nearly done
            almost done
            am i nearly done
            are we nearly there
            am i halfway through
            are we halfway through
            how far through are we
            where are we at
            how much more
            how much more is there
            what's left after this
            how many more are there
            is it nearly over
            how long until we're done
            how long till the end
            when does this stretch end
            when does this hold end
            when does this one end
            when does the hold end
            when does this step end
            what number are we on
            what number am i on
            what number is this stretch
            am i halfway
            am i halfway yet
            are we halfway yet
            are we halfway
            how long is the rest of this
            how long is the rest
            will we be done soon
            will we be done by then
            when will we be done
            when will we be finished
            how long will this take
            how much longer will this take
            how much longer will it take
            when does this finish
            when does this end
            when does the session finish
            when does the session end
            when will this finish
            how long till we're done
            how long till we're finished
            how long until we're finished
        """),
    ),
    # What a step is for and how it should feel ("the benefit", "what should I feel", British
    # "meant to"). Where a tool goes is asked of the roller only: "ball" and "put" samples made
    # the guesser ask about chat ("where did I put that ball now").
    # "Explain this one" asks why and how, not for the words again (the Repeat samples keep
    # "explain" and "explain this"); "which leg am I on" asks about the step, as people read it.
    # Not "which side is it" ("which side is it on, the pharmacy?").
    IntentSpec(
        "ExplainIntent",
        _lines("""
            why does this help
            why does it help
            how does this help
            how does this help sciatica
            why is this good for sciatica
            why
            why this one
            why do this
            why are we doing this
            what does this do
            what is this for
            what's this for
            what's the point
            what's the point of this
            what is it good for
            tell me more
            tell me why
            what does this stretch do
            what muscle is this
            what is this stretch for
            what's this stretch for
            what's this one for
            where should i feel this
            where should i feel it
            am i doing it right
            am i doing this right
            which muscle does this work
            what am i stretching
            what's this stretch supposed to do
            what is this supposed to do
            what is this good for
            what's this good for
            explain this exercise
            explain this stretch
            what's the purpose of this
            what is the purpose of this step
            how should i do it
            how should i do this
            how exactly should i do this
            tell me how to do it
            explain me this
            explain me this exercise
            explain me this stretch
            how do i do it properly
            how do i do this one
            explain it please
            why am i doing this
            how am i supposed to do this
            what is the benefit of this
            what's the benefit of this
            what are the benefits
            what good does this do
            what good is this stretch
            what does it do for me
            what is this supposed to be doing
            what is this meant to do
            where am i meant to feel it
            how am i meant to do this
            what should i feel
            what should i be feeling
            what am i supposed to feel
            how do i do this properly
            how do i do this right
            how do i do it right
            am i doing this correctly
            am i doing it correctly
            how should it be done
            how should i be doing this
            i don't understand how to do this
            i'm not understanding how to do this
            where should the roller go
            where should the roller be
            where should my knee be
            explain this one
            explain this step
            explain this a bit more
            explain it a bit more
            explain a bit more
            explain more
            talk me through this
            talk me through what it's for
            tell me what it's for
            what's it for
            tell me the reason for this
            what's the reason for this
            what is the reason for this
            the reason for this stretch
            the reason for this position
            why this position
            which leg am i on
            which side am i on
            which way round should the roller be
            what's that for
            what is that for
            what's the roller for
            what's the roller achieving
            what's this achieving
        """),
    ),
    IntentSpec(
        "PainIntent",
        _lines("""
            that hurts
            it hurts
            this hurts
            that really hurts
            ouch
            ow
            it's painful
            that's painful
            this is painful
            i'm in pain
            my leg hurts
            my back hurts
            my leg is numb
            it's getting worse
            the pain is getting worse
            that's too hard
            stop it hurts
            stop that hurts
            it hurts a lot
            it really hurts
            that hurts a lot
            ow that hurts
            ouch that hurts
            ow ow ow
            it stings
            that stings
            it burns
            that burns
            it's burning
            my hip is killing me
            my back is killing me
            my leg is killing me
            this is killing me
            that is too deep
            that's too deep
            too deep
            that's too much
            too much pressure
            that's too much pressure
            it's too sore
            it's really sore
            it aches
            my leg aches
            my hip hurts
            my bum hurts
            my foot hurts
            my knee hurts
            my neck hurts
            that's sore
            i'm hurting
            i've hurt myself
            i hurt my back
            i pulled something
            something popped
            i felt a pop
            it's agony
            that's agony
            it's unbearable
            the pain is bad
            the pain is worse
            it's worse now
            i can't take it
            i can't bear it
            i can't do this it hurts
            {symptom}
            i have {symptom}
            i've got {symptom}
            i'm getting {symptom}
            i get {symptom}
            i have {symptom} in my leg
            i have {symptom} down my leg
            i've got {symptom} down my leg
            i'm getting {symptom} down my leg
            i've got {symptom} in my foot
            i have {symptom} in my foot
            i feel {symptom} in my leg
            my leg feels {symptom}
            my leg is {symptom}
            my foot feels {symptom}
            my foot is {symptom}
            my foot went {symptom}
            my leg went {symptom}
            help {symptom}
            ouch {symptom}
            ow {symptom}
            i think {symptom}
            i'm worried {symptom}
            i'm scared {symptom}
        """),
        (("symptom", "SYMPTOM"),),
    ),
    # "Next thing" as the out of breath say it; not "the next thing" ("the next thing I knew I
    # was on the floor").
    IntentSpec(
        "AMAZON.NextIntent",
        _lines("""
            what's next
            what comes next
            what's the next one
            next one
            next step
            next stretch
            next exercise
            go to the next step
            go on to the next one
            on to the next one
            ready for the next one
            move on
            let's move on
            done
            i'm done
            all done
            that's done
            finished
            i've finished
            i'm finished with this one
            crack on
            let's crack on
            crack on to the next one
            on to the next
            on to the next bit
            the next bit
            next bit
            let's do the next one
            do the next one
            what's after that
            what's after this
            what comes after this
            tell me the next one
            tell me the next
            what comes after it
            the next stretch
            move forward
            move forward to the next one
            the following exercise
            go to the following exercise
            onwards
            move along
            next thing
            on to the next thing
        """),
    ),
    # The step before, as first-time users name it ("the stretch before this one", "back up
    # one"). Not "back up a step": its words made the guesser take "we can pick it back up" for
    # the step before.
    # "Take me back", "undo that", "the one we just did" (a word naming it, "the glute one", is
    # passed over: skill/core/tails.py).
    IntentSpec(
        "AMAZON.PreviousIntent",
        _lines("""
            previous one
            previous step
            the one before
            go back one
            back one step
            last one again
            do the last one again
            go back to the last stretch
            go back to the previous one
            go back to the one before
            back to the last one
            go back to the previous exercise
            go back to the previous stretch
            return to the last stretch
            return to the previous one
            return to the previous exercise
            redo the last one
            redo the last stretch
            redo the previous one
            redo the previous stretch
            do the previous one again
            the previous one again
            go one back
            rewind
            rewind one
            the one before this
            the step before this
            the stretch before this one
            redo the one before
            i missed the one before
            back up one
            take me back
            undo that
            back to the one we just did
            go back to the one we just did
            go back to the step we were on
        """),
    ),
    # Not "i missed that": after "go back" it means the step before ("go back one i missed that").
    # Words missed ("i didn't catch a word of that") and a step to do again ("redo this one", "do
    # this one again from the top"), kept few: more Repeat samples thinned the guesser's
    # evidence for "go over the instructions again".
    IntentSpec(
        "AMAZON.RepeatIntent",
        _lines("""
            do that again
            say that again
            repeat that
            again
            one more time
            tell me again
            what did you say
            what was that
            come again
            pardon
            i didn't catch that
            can you repeat that
            repeat the instructions
            how do i do this
            how do i do it
            explain
            explain this
            explain it again
            give me the instructions
            give me the full instructions
            go over that again
            go over it again
            go over this again
            run through it again
            run through that again
            tell me that again
            once more
            go over how to do this
            go over how to do this one
            say it again
            please say it again
            say again
            didn't catch that
            run that by me again
            say it one more time
            say it slowly
            say it more slowly
            say it slower
            speak more slowly
            repeat it
            repeating that
            repeat what you said
            repeat the last bit
            repeat that last bit
            i missed what you said
            go over the instructions again
            i didn't catch a word of that
            i didn't hear that
            i couldn't hear you
            redo this one
            do this one again
            do this one again from the top
            repeat what you just said
            repeat the bit you just said
        """),
    ),
    # Stopping the count in everyday words ("stop the clock", "freeze the count", "hold
    # everything", "make a pause"). Not "freeze it" ("freeze it for later") nor a bare "hold
    # off" ("my manager said hold off on the emails").
    # "Hang fire", "time out" and "freeze it a minute" (with its length: not "freeze it").
    IntentSpec(
        "AMAZON.PauseIntent",
        _lines("""
            wait
            hold on
            hang on
            give me a second
            give me a minute
            give me a moment
            i need a minute
            i need a moment
            i need a second
            just a moment
            just a minute
            just a second
            just a sec
            one sec
            one second
            hang on a minute
            hang on a second
            hang on a sec
            wait a minute
            can i have a minute
            bear with me
            one moment
            take a break
            let me rest
            i need a break
            pause the timer
            pause the countdown
            stop the timer
            stop counting
            stop counting for a bit
            stop the count
            pause the count
            half a mo
            give me moment
            kindly wait
            pause it
            can you pause it
            stop the counting
            stop the counting a little
            i need the toilet
            i need the loo
            i need the bathroom
            i need to go to the toilet
            i need to go to the loo
            i need to go to the bathroom
            i have to go to the toilet
            i have to go to the loo
            i have to go to the bathroom
            toilet break
            loo break
            bathroom break
            be right back
            i'll be right back
            i will be right back
            back in a minute
            back in a sec
            be back in a minute
            be back in a sec
            sec
            a sec
            hold up
            stop the clock
            pause the clock
            freeze the clock
            freeze the count
            freeze the timer
            freeze it there
            freeze there
            hold off a minute
            hold off for a minute
            can you hold off
            give me a sec
            hold everything
            make a pause
            take a pause
            would you mind waiting
            do you mind waiting
            can you wait
            i need a breather
            i could use a breather
            take a breather
            hang fire
            hang fire a sec
            freeze it a minute
            freeze it for a minute
            time out
        """),
    ),
    # Not "go on ahead" ("you can go on ahead, I'll meet you there"), "you can continue" or "you
    # may continue" ("you can continue the story later") nor "all sorted" (said of bills and
    # cars); "pick it back up" and "let's pick it up again" made the guesser ask about "the help
    # desk never picked up today".
    IntentSpec(
        "AMAZON.ResumeIntent",
        _lines("""
            continue
            keep going
            carry on
            go on
            let's continue
            let's go
            go ahead
            i'm back
            unpause
            start the timer again
            pick up where we left off
            continue the routine
            i feel fine
            i'm fine
            i'm okay
            it's fine
            it's okay
            i feel good
            it feels good
            that feels good
            that feels better
            let's get going again
            get going again
            we can carry on
            carry on with the count
            i'm here again
            i'm back now
            continue from where we stopped
            carry on from where we were
            go on from where you left off
            go on from where we left off
            resume the exercise
            you may proceed
            proceed
            where were we
            keep counting
            start counting again
            on you go
            on ye go
            resume the session
            resume the routine
            ready again
            i'm ready again
            off you go
            off we go
        """),
    ),
    IntentSpec(
        "AMAZON.StartOverIntent",
        _lines("""
            start over
            start again
            restart
            begin again
            from the beginning
            start from the beginning
            restart the routine
            start the routine again
            go back to the start
        """),
    ),
    # "What are my options" asks what to say, not which routines there are (every blind corpus
    # says so). "I don't know how to use this" wins over PainRatingIntent's "i don't know".
    # First-time users who do not know what to say ("how do I control it", "how am I meant to use
    # you", "this is my first time using this"). Not "help me out" ("can you help me out with
    # the shopping later"), nor "this thing" or "first time" alone: they made the guesser ask
    # about "I like doing these first thing in the morning".
    # "How does this app work", "what can i ask for"; not "how does skipping work" nor "how does
    # this work again": their words took the guesser's right guesses of a skip and a repeat.
    IntentSpec(
        "AMAZON.HelpIntent",
        _lines("""
            what can i say
            what do i say
            how do i use this
            i need help
            i'm confused
            what are the commands
            what can you do
            instructions
            what commands do you understand
            what commands are there
            how do i talk to it
            how do i talk to you
            how does it work
            how does this work
            how do i work this
            how do i use it
            what words do you understand
            what words can i use
            what are my options
            options
            tell me what you can do
            what else can you do
            what am i supposed to say
            what am i supposed to say to it
            what am i allowed to say
            what do i tell it to do
            what do i say to it
            how do i tell you what to do
            what can i type
            what am i allowed to type
            list of commands
            i don't know how to use this
            i don't know how to use it
            i don't know how this works
            i don't know how to work this
            how do i control this
            how do i control it
            how do i control you
            how do i use you
            how am i meant to use this
            how am i meant to use you
            what can i say to you
            what do i say to you
            i don't know how to use you
            this is my first time using this
            i don't know what to say to it
            i don't know what to say to you
            how does this app work
            how does the app work
            how do i use this app
            what can i ask for
            what can i ask you
            tell me what i can ask for
            tell me what i can say
        """),
    ),
    # Ending said as people end a session ("finish", "I'll stop there", "let's leave it there").
    # Risky, kept: "turn it off" is also said to someone about the telly ("can you turn it off,
    # love"); it is the plainest way to end a gadget, and no corpus chat line says it. Not
    # samples: "switch off" ("switch off the light"), "shut it down", "see you tomorrow" (said
    # to a carer leaving) and a bare "leave it there".
    # "That's plenty for today", "that's us finished", "close the exercise" as first-time users
    # end; not a bare "that's plenty" (said of cake) nor "i'll leave it there" ("i'll leave it
    # there and pick it up tomorrow"). "We must finish" only with "now" or "for today": alone it
    # takes an object ("I must finish the crossword before lunch").
    IntentSpec(
        "AMAZON.StopIntent",
        _lines("""
            stop the session
            stop the routine
            i want to stop
            that's enough
            that's enough for today
            that's it for today
            that's all for today
            let's stop for today
            let's call it a day
            call it a day
            enough for today
            end the session
            we're done
            goodbye
            bye
            that'll do
            that'll do me
            that'll do for today
            that'll do me for today
            let's finish up
            finish up
            let's finish there
            i'm done for today
            done for today
            i've had enough
            i've had enough for today
            end session
            end the workout
            quit the workout
            quit the session
            stop the workout
            end it
            end it there
            let's end it there
            no more today
            no more for today
            i have to stop here
            stop here for today
            i have to go
            i've got to go
            i need to go
            i must go
            gotta go
            got to go
            finish
            finish for today
            finish for now
            i have to finish
            i'll stop there
            we'll stop there
            let's stop there
            i'll stop here
            we'll stop here
            stop there for now
            that's it for me
            let's leave it there
            have to leave it there
            have to stop here
            let's leave it for today
            leave the rest until tomorrow
            let's wrap it up
            wrap it up
            let's wrap up
            turn it off
            switch it off
            turn yourself off
            that's plenty for today
            that's plenty for one day
            plenty for today
            that's enough for one day
            i'll leave it there for now
            let's leave it there for now
            that's us finished
            that's us done
            that's us finished for today
            that's us done for today
            finished for today
            we're finished for today
            i'm finished for today
            close the exercise
            close the session
            close the routine
            end the routine
            end the exercise
            i'll have to stop
            we must finish now
            i must finish now
            we have to finish now
            i'll have to finish for today
            i shall have to finish for today
            i have to end this
            i need to end this
            end this
            stop the whole thing
            end the whole thing
        """),
    ),
    IntentSpec(
        "AMAZON.CancelIntent",
        _lines("""
            cancel that
            cancel the routine
            never mind
            forget it
        """),
    ),
    IntentSpec("AMAZON.FallbackIntent", ()),
    IntentSpec("AMAZON.NavigateHomeIntent", ()),
    IntentSpec(
        "AMAZON.YesIntent",
        _lines("""
            yes
            yeah
            yep
            sure
            okay
            ok
            alright
            ready
            i'm ready
            sounds good
            let's do it
            go for it
            of course
            absolutely
        """),
    ),
    IntentSpec(
        "PainRatingIntent",
        _lines("""
            {rating}
            a {rating}
            an {rating}
            about {rating}
            about a {rating}
            about an {rating}
            around {rating}
            around a {rating}
            maybe a {rating}
            maybe an {rating}
            i'd say {rating}
            i'd say a {rating}
            i'd say an {rating}
            i think {rating}
            i think a {rating}
            i think it's a {rating}
            it's {rating}
            it's a {rating}
            it's an {rating}
            it's about a {rating}
            it's {rating} out of ten
            it's a {rating} out of ten
            {rating} out of ten
            a {rating} out of ten
            my pain is {rating}
            my pain is a {rating}
            my pain is an {rating}
            my pain is at {rating}
            my pain is about a {rating}
            my pain's a {rating}
            the pain is a {rating}
            the pain is at {rating}
            pain is {rating}
            pain level {rating}
            my pain level is {rating}
            it's at {rating}
            it hurts about a {rating}
            i don't know
            i'm not sure
            not sure
            no idea
            hard to say
        """),
        (("rating", "AMAZON.NUMBER"),),
    ),
    # No pain at all: a rating of zero, said in words (skill/core/commands.py).
    IntentSpec(
        "NoPainIntent",
        _lines("""
            no pain
            no pain at all
            no pain right now
            no pain today
            zero pain
            none
            none at all
            pain free
            i'm pain free
            i have no pain
            i've got no pain
        """),
    ),
    IntentSpec(
        "PainCheckOffIntent",
        _lines("""
            stop asking about my pain
            stop asking me about my pain
            don't ask about my pain
            don't ask me about my pain
            don't ask me about pain
            no more pain questions
            stop the pain check
            turn off the pain check
            turn the pain check off
            skip the pain check from now on
        """),
    ),
    IntentSpec(
        "PainCheckOnIntent",
        _lines("""
            ask me about my pain
            ask me about my pain again
            ask about my pain again
            start asking about my pain
            start asking about my pain again
            turn on the pain check
            turn the pain check on
            bring back the pain check
        """),
    ),
    IntentSpec(
        "JournalIntent",
        _lines("""
            how am i doing
            how am i doing overall
            how am i getting on
            how's my progress
            how is my progress
            what's my progress
            what is my progress
            how's my pain been
            how has my pain been
            is my pain getting better
            is it getting better
            how many sessions have i done
            what's my streak
            my history
            show my history
            show my progress
            tell me my progress
        """),
    ),
    IntentSpec(
        "ForgetJournalIntent",
        _lines("""
            delete my history
            delete my session history
            delete my pain history
            erase my history
            clear my history
            forget my history
            delete my data
            delete my pain ratings
            forget my sessions
        """),
    ),
    IntentSpec(
        "AMAZON.NoIntent",
        _lines("""
            no
            nope
            nah
            no thanks
            no thank you
            not now
            not today
            not yet
            maybe later
            i don't want to
        """),
    ),
    # Rests and brief mode (issue #14).
    IntentSpec(
        "LongerRestIntent",
        _lines("""
            longer rests
            longer rest
            a longer rest
            longer breaks
            more rest
            more rest between
            i need more rest
            i need longer rests
            give me longer rests
            make the rests longer
            make the rest longer
            rest longer
            rest a bit longer
            the rests are too short
            {duration} more rest
            {duration} longer rests
            make the rests {duration} longer
            rest {duration} longer
        """),
        (("duration", "AMAZON.DURATION"),),
    ),
    IntentSpec(
        "ShorterRestIntent",
        _lines("""
            shorter rests
            shorter rest
            a shorter rest
            shorter breaks
            less rest
            less rest between
            i need less rest
            give me shorter rests
            make the rests shorter
            make the rest shorter
            rest less
            the rests are too long
            {duration} less rest
            {duration} shorter rests
            make the rests {duration} shorter
            rest {duration} less
        """),
        (("duration", "AMAZON.DURATION"),),
    ),
    IntentSpec(
        "SetRestIntent",
        _lines("""
            rest for {duration}
            rest {duration}
            rest {duration} between
            rest for {duration} between reps
            {duration} rests
            {duration} rest
            {duration} rest between
            rests of {duration}
            set the rest to {duration}
            set the rests to {duration}
            make the rests {duration}
            make the rest {duration}
            make each rest {duration}
            i want {duration} rests
            give me {duration} rests
            let's rest for {duration}
        """),
        (("duration", "AMAZON.DURATION"),),
    ),
    IntentSpec(
        "AlwaysExplainIntent",
        _lines("""
            always explain
            always explain everything
            always explain every step
            always give me full instructions
            always give me the full instructions
            always give me the instructions
            i want the full instructions
            explain every step
            explain everything
            don't be brief
            stop being brief
            no more short instructions
        """),
    ),
    IntentSpec(
        "BriefInstructionsIntent",
        _lines("""
            be brief again
            be brief
            you can be brief
            you can be brief again
            short instructions
            short instructions please
            shorter instructions
            brief instructions
            keep it short
            keep it brief
            keep the instructions short
            stop explaining everything
            no more full instructions
            i know these steps
        """),
    ),
    # Time to get ready before a hold (routines/get_ready.py). "Ready" and "I'm ready" are
    # YesIntent samples: the engine takes a yes as "ready" while a hold waits for it.
    IntentSpec(
        "ReadyIntent",
        _lines("""
            go
            okay go
            ok go
            ready now
            i'm ready now
            ready to go
            i'm ready to go
            i'm in position
            i'm in place
            i'm set
            start the hold
            start the count
            start counting
            count me in
            ready when you are
        """),
    ),
    IntentSpec(
        "MoreReadyTimeIntent",
        _lines("""
            give me more time to get ready
            more time to get ready
            i need more time to get ready
            longer to get ready
            give me longer to get ready
            more time to get into position
            give me more time to get into position
            more time before the hold
            more time before each hold
        """),
    ),
    IntentSpec(
        "LessReadyTimeIntent",
        _lines("""
            less time to get ready
            give me less time to get ready
            i need less time to get ready
            shorter time to get ready
            less time to get into position
            less time before the hold
            less time before each hold
        """),
    ),
    IntentSpec(
        "NoReadyTimeIntent",
        _lines("""
            i don't need time to get ready
            i don't need any time to get ready
            no time to get ready
            no need to get ready
            don't give me time to get ready
            i don't need time to get into position
            start each hold right away
            no time before the hold
        """),
    ),
    IntentSpec(
        "WaitForReadyIntent",
        _lines("""
            wait until i say ready
            wait till i say ready
            wait for me
            wait for me to get ready
            wait until i'm ready
            wait till i'm ready
            wait for me to say ready
            i'll tell you when i'm ready
            i'll say when i'm ready
            let me say when i'm ready
        """),
    ),
    IntentSpec(
        "StopWaitingIntent",
        _lines("""
            don't wait for me
            stop waiting for me
            don't wait until i say ready
            don't wait till i say ready
            you don't need to wait for me
            no need to wait for me
            don't wait for me to say ready
        """),
    ),
)
"""Every intent of the model, in the order the JSON lists them."""


SLOT_TYPES: dict[str, tuple[SlotValue, ...]] = {
    # Ids are the routine ids of routines/library/<id>.yaml; `massage-coach model check`
    # fails when the two disagree.
    "ROUTINE_NAME": (
        SlotValue(
            "sciatica-quick-relief",
            "Sciatica quick relief",
            (
                "quick relief",
                "sciatica relief",
                "sciatica routine",
                "sciatica massage",
                "sciatica",
                "the sciatica one",
                "quick routine",
                "the quick one",
                "quick one",
                "usual routine",
                "the usual",
                "default routine",
                "relief",
            ),
        ),
        SlotValue(
            "piriformis-release",
            "Piriformis release",
            (
                "piriformis",
                "piriformis stretch",
                "piriformis massage",
                "piriformis routine",
                "glute release",
                "glutes",
                "glute",
                "buttock",
                "buttocks",
                "hip release",
                "deep hip",
                "hips",
            ),
        ),
        SlotValue(
            "foam-roller",
            "Foam roller",
            (
                "foam rolling",
                "foam roll",
                "foam roller routine",
                "roller",
                "rolling",
                "the roller",
                "roll out",
            ),
        ),
        SlotValue(
            "trigger-points",
            "Trigger point release",
            (
                "trigger points",
                "trigger point",
                "trigger point massage",
                "knots",
                "muscle knots",
                "pressure points",
                "massage ball",
                "ball massage",
                "tennis ball",
            ),
        ),
        SlotValue(
            "gentle-stretches",
            "Gentle stretches",
            (
                "stretches",
                "stretching",
                "gentle stretching",
                "easy stretches",
                "light stretches",
                "stretch routine",
                "something gentle",
                "the easy one",
            ),
        ),
    ),
    # Ids starting RED_FLAG_ end the session with advice to seek urgent care.
    "SYMPTOM": (
        SlotValue(
            "PAIN",
            "pain",
            (
                "it stings",
                "stinging",
                "sciatic pain",
                "nerve pain",
                "hurts",
                "it hurts",
                "ouch",
                "ow",
                "sore",
                "soreness",
                "painful",
                "sharp pain",
                "a sharp pain",
                "stabbing pain",
                "aching",
                "an ache",
                "too much",
                "too much pressure",
                "a lot of pain",
                "pain in my leg",
                "it hurts a lot",
                "sharp pains",
                "pain down my leg",
                "a pulling pain",
                "throbbing",
                "a throbbing pain",
                "too deep",
                "too hard",
                "agony",
            ),
        ),
        SlotValue(
            "NUMBNESS",
            "numbness",
            (
                "numb",
                "leg is numb",
                "my foot is numb",
                "foot is numb",
                "gone numb",
                "my leg went numb",
                "can't feel my leg",
                "i can't feel my leg",
                "can't feel my foot",
                "i can't feel my foot",
                "no feeling",
                "a dead leg",
                "dead leg",
                "my foot went numb",
                "foot went numb",
                "my leg is numb",
                "numb leg",
                "numb foot",
                "went numb",
                "gone dead",
                "my leg has gone dead",
                "my foot has gone dead",
                "my foot fell asleep",
                "my leg fell asleep",
            ),
        ),
        SlotValue(
            "TINGLING",
            "tingling",
            (
                "pins and needles",
                "tingles",
                "tingly",
                "it tingles",
                "my leg tingles",
                "prickling",
                "buzzing",
                "pins and needles in my foot",
                "pins and needles in my leg",
                "tingling in my foot",
                "tingling in my leg",
                "my foot tingles",
                "tingly feeling",
            ),
        ),
        SlotValue(
            "SHOOTING",
            "shooting pain",
            (
                "a shooting pain",
                "shooting pain down my leg",
                "a shooting pain down my leg",
                "shooting pains",
                "electric shocks",
                "an electric shock",
                "electric pain",
                "like an electric shock",
                "zapping",
                "a zap down my leg",
            ),
        ),
        SlotValue(
            "BURNING",
            "burning",
            (
                "burning pain",
                "it burns",
                "a burning feeling",
                "it's burning",
            ),
        ),
        SlotValue(
            "CRAMP",
            "cramp",
            (
                "a cramp",
                "cramps",
                "cramping",
                "a cramp in my leg",
                "a spasm",
                "spasms",
                "a muscle spasm",
                "my calf is cramping",
                "a charley horse",
            ),
        ),
        SlotValue(
            "RED_FLAG_BLADDER",
            "loss of bladder control",
            (
                "i can't control my bladder",
                "can't control my bladder",
                "lost bladder control",
                "i lost bladder control",
                "lost bowel control",
                "i lost bowel control",
                "loss of bowel control",
                "can't control my bowels",
                "i can't control my bowels",
                "incontinence",
                "incontinent",
                "i wet myself",
                "i can't pee",
                "i can't urinate",
                "bladder problems",
                "bowel problems",
                "bladder control",
                "bowel control",
                "i wet the bed",
                "i peed myself",
                "i've wet myself",
                "i can't hold my pee",
                "i can't hold it in",
                "i can't hold my wee",
                "i soiled myself",
                "i pooed myself",
                "i had an accident",
                "i've had an accident",
                "i can't feel when i pee",
                "i can't go to the toilet",
                "i can't empty my bladder",
                "trouble peeing",
                "i can't wee",
                "leaking urine",
                "bladder leaking",
                "i leaked",
                "bowel accident",
            ),
        ),
        SlotValue(
            "RED_FLAG_SADDLE",
            "saddle numbness",
            (
                "numb between my legs",
                "numbness between my legs",
                "groin is numb",
                "my groin is numb",
                "numb groin",
                "numbness in my groin",
                "my bottom is numb",
                "numb around my bottom",
                "numb down there",
                "my inner thighs are numb",
                "numb inner thighs",
                "saddle area is numb",
                "saddle area numbness",
                "numb in the saddle area",
                "my privates are numb",
                "numb privates",
                "numb genitals",
                "my genitals are numb",
                "numb around my back passage",
                "numb between my legs when i wipe",
                "i can't feel it when i wipe",
                "i can't feel my bottom",
                "my bum is numb",
                "numb bum",
                "groin numbness",
                "tingling in my groin",
                "pins and needles in my groin",
            ),
        ),
        SlotValue(
            "RED_FLAG_WEAKNESS",
            "leg weakness",
            (
                "my leg is getting weaker",
                "leg is getting weaker",
                "getting weaker",
                "my leg gave way",
                "leg gave way",
                "my leg is weak",
                "leg is weak",
                "weak leg",
                "my leg feels weak",
                "foot drop",
                "my foot is dragging",
                "i can't lift my foot",
                "my leg won't hold me",
                "i can't walk properly",
                "my foot drags",
                "my foot is dragging when i walk",
                "my foot drags when i walk",
                "dragging my foot",
                "i'm dragging my foot",
                "my foot keeps catching",
                "my toes catch the floor",
                "i keep tripping",
                "my foot is floppy",
                "floppy foot",
                "my foot slaps",
                "i can't stand on my toes",
                "i can't stand on my heel",
                "my leg keeps giving way",
                "my leg buckled",
                "my knee gave way",
                "weakness in my leg",
            ),
        ),
        SlotValue(
            "RED_FLAG_BOTH_LEGS",
            "symptoms in both legs",
            (
                "weak legs",
                "both legs are weak",
                "both my legs are weak",
                "both legs",
                "both legs hurt",
                "pain in both legs",
                "both legs are numb",
                "numbness in both legs",
                "both legs are tingling",
                "pins and needles in both legs",
                "it's in both legs",
                "it's going down both legs",
            ),
        ),
        SlotValue(
            "RED_FLAG_FALL",
            "pain after a fall",
            (
                "i fell",
                "i fell over",
                "i fell down",
                "i had a fall",
                "after a fall",
                "a fall",
                "i fell on my back",
                "i slipped",
                "i slipped and fell",
                "i took a tumble",
                "i had a tumble",
                "i fell off the bed",
                "i fell off the chair",
                "i fell on the floor",
                "i've fallen",
                "i hurt myself falling",
                "it started after a fall",
                "since i fell",
                "after i fell",
                "i was in an accident",
                "a car accident",
            ),
        ),
        SlotValue(
            "RED_FLAG_FEVER",
            "fever with back pain",
            (
                "i have a fever",
                "a fever",
                "fever",
                "feverish",
                "i'm feverish",
                "high temperature",
                "a high temperature",
                "i have a temperature",
                "chills",
                "i'm running a temperature",
                "i'm hot and shivery",
                "shivering",
                "i feel feverish",
                "i'm burning up",
                "night sweats",
                "i have the chills",
                "a temperature",
            ),
        ),
    ),
}
"""Custom slot types: value id, canonical name and synonyms."""
