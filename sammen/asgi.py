import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammen.settings")

application = get_asgi_application()

from sammen.live.asgi import with_live_streams  # noqa: E402 - needs Django set up first

application = with_live_streams(application)
