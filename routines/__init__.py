"""What to do: routine content, the routine schema and loader, and the session state machine.

Pure: nothing here does I/O except reading routine files. Never imports speech, skill,
ask_sdk, flask or pyttsx3.
"""
