"""The Alexa front-end: the skill's handlers, envelope checks, APL, persistence adapters,
request verification, the Flask server, recording and the Lambda entry point."""
