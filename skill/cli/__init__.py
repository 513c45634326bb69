"""The `massage-coach` command line, thin: parse options and call the others."""
