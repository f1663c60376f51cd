"""Background work for accounts; each task only calls a service."""

from django.tasks import task

from . import services


@task()
def send_welcome_message(user_id: int) -> bool:
    """Email a new user a welcome note (when they registered with an email address)."""
    return services.welcome_message_send(user_id=user_id)
