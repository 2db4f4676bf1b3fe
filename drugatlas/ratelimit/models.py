from django.db import models


class Counter(models.Model):
    """One fixed window's count of one bucket and hashed identifier (see __init__.py)."""
    key = models.CharField(max_length=120, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True, help_text="Unix time the window ends")

    class Meta:
        db_table = "ratelimit_counter"
