"""Where deployments find the web app: ``gunicorn 'skill.server:create_app()'``.

The app lives in `skill.alexa.server`; this name stays so that deployed configurations keep
working.
"""

from skill.alexa.server import create_app

__all__ = ["create_app"]
