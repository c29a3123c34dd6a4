"""Test settings: a throwaway home folder, a fixed secret, a fast password hasher."""

import os
import tempfile

os.environ["BRIEFINGS_HOME"] = tempfile.mkdtemp(prefix="briefings-test-")
os.environ.setdefault("BRIEFINGS_SECRET_KEY", "tests-only-secret-key-" + "x" * 40)
for _name in ("BRIEFINGS_DATABASE_URL", "BRIEFINGS_CONFIG", "BRIEFINGS_SOURCES_FILE"):
    os.environ.pop(_name, None)

from briefings.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
