from django.db import migrations


class Migration(migrations.Migration):
    """The digest outbox becomes the outbox of every email (confirmations too)."""

    dependencies = [("updates", "0002_followed_state_since")]

    operations = [migrations.RenameModel("Digest", "OutboxMessage")]
