from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoAccount(models.Model):
    """An account of the demo data, listed on the sign-in page while it exists."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demo_account"
    )
    role_description = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("demo account")
        verbose_name_plural = _("demo accounts")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.user.email
