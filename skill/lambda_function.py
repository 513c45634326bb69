"""Where AWS Lambda finds the skill: handler ``skill.lambda_function.handler``.

The entry point lives in `skill.alexa.lambda_function`; this name stays so that deployed
functions keep working.
"""

from skill.alexa.lambda_function import handler

__all__ = ["handler"]
