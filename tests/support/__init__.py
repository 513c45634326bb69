"""Helpers the tests share: certificates, envelopes, load generation, recordings."""
