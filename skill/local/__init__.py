"""The local coach: the coach loop, keys/stdin/microphone inputs, the live screen and the
`run` and `listen` commands' bodies."""
