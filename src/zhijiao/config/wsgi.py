import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijiao.config.settings")
application = get_wsgi_application()

from zhijiao.core.runtime import worker_ready  # noqa: E402 - needs the settings configured above

worker_ready()
