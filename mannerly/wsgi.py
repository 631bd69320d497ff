import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mannerly.settings")
application = get_wsgi_application()

if settings.WARM_UP_ENGINE:
    from mannerly.coaching import warm_up

    warm_up.start()
