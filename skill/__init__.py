"""Who it talks to: the Alexa skill, the local runner, the utterance resolver, replay, the
server and the command line."""
