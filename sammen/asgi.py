"""The ASGI application uvicorn serves: pages through Django's synchronous handler in a
fixed pool of threads, and a live session's streams and votes through the lean path.

Django's own ASGI handler runs a synchronous view (all of ours but the event stream) in
a thread it starts for that request, after hopping between the event loop and threads
for the middleware: about 3 ms of CPU per request before the view, and under a crowd
(a room of thousands joining at once) a thread per waiting request, each with its stack
and, soon, a database connection to wait for. Here a page is instead one job for one of
SAMMEN_WEB_THREADS long-lived threads, which run Django's WSGI handler with the whole
middleware stack (a2wsgi: bodies streamed both ways); requests beyond that wait in the
event loop, holding no thread.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sammen.settings")

django_pages = get_wsgi_application()  # sets Django up

from a2wsgi import WSGIMiddleware  # noqa: E402 - after Django is set up
from django.conf import settings  # noqa: E402

from sammen.live.asgi import with_live_streams  # noqa: E402

pages = WSGIMiddleware(django_pages, workers=settings.SAMMEN_WEB_THREADS)  # type: ignore[arg-type]
application = with_live_streams(pages)
