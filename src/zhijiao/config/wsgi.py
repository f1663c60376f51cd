import os
import signal
import sys
import threading
from typing import Any

from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse

if "granian" in sys.modules and threading.current_thread() is threading.main_thread():
    # granian forks each worker with the main process's SIGTERM/SIGINT handler, which in the worker only sets a flag
    # nobody reads: a stop requested while a worker still loads the app (a few seconds) was lost, and the server
    # waited for that worker for ever. Until granian installs the worker's own handler (once this module is
    # loaded), a stop ends the worker at once; it has served nothing yet, so nothing is lost.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijiao.config.settings")
django_application = get_wsgi_application()


def application(environ: dict[str, Any], start_response: Any) -> Any:
    """Django's WSGI application, handing a whole (not streaming) response's body over as one ``bytes`` in a list.

    A WSGI server must treat any other iterable as a stream: granian then walks Django's response from Rust, taking
    the interpreter's lock for every step, and chunks it. A list of one ``bytes`` is sent in one write. The response
    is closed first (what the server would do after the last chunk: Django's ``request_finished`` signal).
    """
    response = django_application(environ, start_response)
    if isinstance(response, HttpResponse):  # never streaming: StreamingHttpResponse and FileResponse are not ones
        body = response.content
        response.close()
        return [body]
    return response


from zhijiao.core.runtime import worker_ready  # noqa: E402 - needs the settings configured above

worker_ready()
