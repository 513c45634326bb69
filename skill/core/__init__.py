"""The front-end-neutral core: the turn (`turn`), the read-only view of a state (`view`), the
whole session as turns (`session_script`), the intents table, the utterance resolver,
durations and the store. Nothing here imports ask_sdk, flask, rich, pyttsx3, sounddevice or
pocketsphinx (a test checks)."""
