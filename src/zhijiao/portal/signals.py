"""Articles change through services, the admin and bulk imports alike: each change refreshes cached lists."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Article
from .services import content_cache_forget


@receiver(post_save, sender=Article, dispatch_uid="portal.article_saved")
@receiver(post_delete, sender=Article, dispatch_uid="portal.article_deleted")
def article_changed(sender: type[Article], instance: Article, **kwargs: Any) -> None:
    transaction.on_commit(content_cache_forget)
