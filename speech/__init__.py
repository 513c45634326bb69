"""How it sounds: prompts, countdown pacing, SSML, text-to-speech engines, audio output, listening.

Imports routines, never skill.
"""
