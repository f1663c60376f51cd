import os
import signal
import sys
import threading

from django.core.wsgi import get_wsgi_application

if "granian" in sys.modules and threading.current_thread() is threading.main_thread():
    # granian forks each worker with the main process's SIGTERM/SIGINT handler, which in the worker only sets a flag
    # nobody reads: a stop requested while a worker still loads the app (a few seconds) was lost, and the server
    # waited for that worker for ever. Until granian installs the worker's own handler (once this module is
    # loaded), a stop ends the worker at once; it has served nothing yet, so nothing is lost.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijiao.config.settings")
application = get_wsgi_application()

from zhijiao.core.runtime import worker_ready  # noqa: E402 - needs the settings configured above

worker_ready()
