"""Developer tools: dialog files, replay (Alexa in process or over HTTP, and the local coach),
request envelopes, the interaction model check and the pytest plugin."""
