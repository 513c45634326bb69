"""The Alexa interaction model per locale (ASK JSON): the one source of utterances.

Data only. `skill` reads it for Alexa, for the local utterance resolver and for the
speech-recognition grammar.
"""
