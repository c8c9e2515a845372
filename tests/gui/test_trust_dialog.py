"""Settings > Trusted publishers…: a pasted key shows its fingerprint words before it is
trusted; Trust adds it to the list import uses; Stop trusting removes it."""
from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from edukit.core.signing import public_key_line
from edukit.core.trust import trusted_publishers
from edukit.gui.trust_dialog import TrustDialog

KEY = public_key_line(Ed25519PrivateKey.from_private_bytes(bytes(range(32))).public_key())
WORDS = "raven trumpet summer shell blanket feather comet hedgehog"


def test_paste_see_words_trust_then_stop_trusting(qtbot):
    dialog = TrustDialog()
    qtbot.addWidget(dialog)
    dialog.key.setPlainText(KEY)
    assert dialog.words.text() == f"Fingerprint: {WORDS}"
    dialog.name.setText("Anytown Council")
    dialog.trust_button.click()
    assert [p.name for p in trusted_publishers()] == ["Anytown Council"]
    assert dialog.listing.item(0).text().startswith(f"Anytown Council — {WORDS}")
    dialog.listing.setCurrentRow(0)
    dialog.remove_button.click()
    assert trusted_publishers() == [] and dialog.listing.count() == 0


def test_a_bad_key_or_no_name_is_one_plain_line_and_trusts_nobody(qtbot):
    dialog = TrustDialog()
    qtbot.addWidget(dialog)
    dialog.key.setPlainText("<b>ssh-rsa AAAA</b>")
    assert dialog.words.text().startswith("not an Ed25519 public key")
    dialog.name.setText("X")
    dialog.trust_button.click()
    assert dialog.status.text().startswith("not an Ed25519 public key")
    dialog.key.setPlainText(KEY)
    dialog.name.setText("  ")
    dialog.trust_button.click()
    assert "give the publisher a name" in dialog.status.text()
    assert trusted_publishers() == []
