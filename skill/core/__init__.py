"""The front-end-neutral core: the turn, the intents table, the utterance resolver, durations
and the store. Nothing here imports ask_sdk, flask, rich, pyttsx3, sounddevice or pocketsphinx
(a test checks)."""
