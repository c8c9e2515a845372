"""Signed packs: Ed25519 keys, the pack manifest, SSH signatures over it, fingerprint words.

The signature is an SSH signature (the SSHSIG format of OpenSSH's PROTOCOL.sshsig) over the
pack's manifest.json, in the namespace "edukit-pack", so a school can check a pack with
`ssh-keygen -Y verify` as well as with edukit. The manifest lists every other member's SHA-256:
signing it covers every byte of every lesson and route file in the pack.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import struct
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.sig"
NAMESPACE = "edukit-pack"
MANIFEST_FORMAT = "edukit-pack-manifest/1"
MAX_MANIFEST_BYTES = 4 * 2**20
ARMOR_BEGIN, ARMOR_END = "-----BEGIN SSH SIGNATURE-----", "-----END SSH SIGNATURE-----"
KEY_TYPE = b"ssh-ed25519"
WORD_COUNT = 8  # words read over the phone: 64 bits of the key's SHA-256


class SignatureError(ValueError):
    """A key, manifest or signature that cannot be used; the message says why in plain words."""


# --- keys ---------------------------------------------------------------------------------

def new_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_text(key: Ed25519PrivateKey, passphrase: bytes = b"") -> bytes:
    """OpenSSH's own private key file format (ssh-keygen -Y sign reads it too), encrypted with
    the passphrase as ssh-keygen -N does, if one is given."""
    protection = (serialization.BestAvailableEncryption(passphrase) if passphrase
                  else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                             protection)


def data_kdf(data: bytes) -> bytes:
    """The key-derivation name inside an OpenSSH private key file ("bcrypt" when it has a
    passphrase), or b"" for anything that is not one."""
    try:
        body = base64.b64decode(b"".join(data.strip().splitlines()[1:-1]))
    except ValueError:
        return b""
    return body[:64]


def public_key_line(key: Ed25519PublicKey, comment: str = "") -> str:
    """`ssh-ed25519 AAAA… comment`, as in an OpenSSH .pub file."""
    text = key.public_bytes(serialization.Encoding.OpenSSH,
                            serialization.PublicFormat.OpenSSH).decode("ascii")
    return f"{text} {comment}".strip()


class PassphraseNeeded(SignatureError):
    """The key is protected by a passphrase and none was given."""


def load_private_key(data: bytes, passphrase: bytes = b"") -> Ed25519PrivateKey:
    try:
        key = serialization.load_ssh_private_key(data, password=passphrase or None)
    except TypeError:
        if passphrase:  # given for a key that has none
            return load_private_key(data)
        raise PassphraseNeeded("the key is protected by a passphrase; type it when asked, or "
                               "give --passphrase-file FILE") from None
    except (ValueError, UnsupportedAlgorithm):
        if passphrase and b"bcrypt" in data_kdf(data):
            raise SignatureError("the passphrase is wrong for this key") from None
        raise SignatureError("not an OpenSSH private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError("not an Ed25519 key (edukit signs with Ed25519 only)")
    return key


def parse_public_key(text: str) -> bytes:
    """The key blob of an `ssh-ed25519 AAAA… [comment]` line; SignatureError otherwise."""
    parts = text.strip().split()
    if len(parts) < 2 or parts[0] != KEY_TYPE.decode():
        raise SignatureError("not an Ed25519 public key (expected a line 'ssh-ed25519 AAAA…')")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except ValueError:
        raise SignatureError("the public key is not valid base64") from None
    key_from_blob(blob)
    return blob


def key_blob(key: Ed25519PublicKey) -> bytes:
    return base64.b64decode(public_key_line(key).split()[1])


def key_from_blob(blob: bytes) -> Ed25519PublicKey:
    try:
        reader = Reader(blob)
        kind, raw = reader.string(), reader.string()
        reader.end()
        if kind != KEY_TYPE or len(raw) != 32:
            raise SignatureError("not an Ed25519 key")
        return Ed25519PublicKey.from_public_bytes(raw)
    except (struct.error, ValueError) as exc:
        raise SignatureError(f"the public key is damaged ({exc})") from None


def blob_line(blob: bytes) -> str:
    return f"{KEY_TYPE.decode()} {base64.b64encode(blob).decode('ascii')}"


def ssh_fingerprint(blob: bytes) -> str:
    """What `ssh-keygen -l` prints for the key: SHA256:…"""
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")
    return f"SHA256:{digest}"


def fingerprint_words(blob: bytes) -> str:
    """The key's SHA-256 as words one can read out over the phone: each of the first
    WORD_COUNT bytes picks one of 256 fixed words. The same key always gives the same words."""
    digest = hashlib.sha256(blob).digest()
    return " ".join(WORDS[b] for b in digest[:WORD_COUNT])


# --- SSH signatures (OpenSSH PROTOCOL.sshsig) ------------------------------------------------

def ssh_string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


class Reader:
    """Reads SSH wire-format strings from a blob; struct.error or ValueError when short."""

    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise ValueError("it ends early")
        chunk = self.data[self.at:self.at + n]
        self.at += n
        return chunk

    def uint32(self) -> int:
        return struct.unpack(">I", self.take(4))[0]

    def string(self) -> bytes:
        return self.take(self.uint32())

    def end(self) -> None:
        if self.at != len(self.data):
            raise ValueError("it has extra data at the end")


def signed_data(message: bytes, namespace: str) -> bytes:
    """What the key actually signs: the SSHSIG preamble, namespace and the message's SHA-512."""
    return (b"SSHSIG" + ssh_string(namespace.encode()) + ssh_string(b"")
            + ssh_string(b"sha512") + ssh_string(hashlib.sha512(message).digest()))


def ssh_sign(message: bytes, key: Ed25519PrivateKey, namespace: str = NAMESPACE) -> str:
    """An armored SSH signature, as `ssh-keygen -Y sign -n NAMESPACE` writes it."""
    signature = key.sign(signed_data(message, namespace))
    blob = (b"SSHSIG" + struct.pack(">I", 1) + ssh_string(key_blob(key.public_key()))
            + ssh_string(namespace.encode()) + ssh_string(b"") + ssh_string(b"sha512")
            + ssh_string(ssh_string(KEY_TYPE) + ssh_string(signature)))
    text = base64.b64encode(blob).decode("ascii")
    lines = [text[i:i + 70] for i in range(0, len(text), 70)]
    return "\n".join([ARMOR_BEGIN, *lines, ARMOR_END]) + "\n"


def ssh_verify(message: bytes, armored: bytes, namespace: str = NAMESPACE) -> bytes:
    """The blob of the key that signed message; SignatureError if the signature is not a
    valid one over exactly these bytes in this namespace."""
    try:
        text = armored.decode("ascii").strip()
    except UnicodeDecodeError:
        raise SignatureError("the signature file is not an SSH signature") from None
    if not (text.startswith(ARMOR_BEGIN) and text.endswith(ARMOR_END)):
        raise SignatureError("the signature file is not an SSH signature")
    try:
        blob = base64.b64decode("".join(text[len(ARMOR_BEGIN):-len(ARMOR_END)].split()),
                                validate=True)
        reader = Reader(blob)
        if reader.take(6) != b"SSHSIG" or reader.uint32() != 1:
            raise SignatureError("the signature is not an SSH signature of version 1")
        public, space, _reserved, hash_alg, sig = (reader.string() for _ in range(5))
        reader.end()
        inner = Reader(sig)
        kind, raw = inner.string(), inner.string()
        inner.end()
    except (ValueError, struct.error) as exc:
        if isinstance(exc, SignatureError):
            raise
        raise SignatureError(f"the signature is damaged ({exc})") from None
    if space != namespace.encode():
        raise SignatureError(f"the signature is for '{space.decode(errors='replace')}', not "
                             f"for an edukit pack")
    if kind != KEY_TYPE or hash_alg not in (b"sha512", b"sha256"):
        raise SignatureError("the signature is not an Ed25519 signature edukit can check")
    digest = getattr(hashlib, hash_alg.decode())(message).digest()
    data = (b"SSHSIG" + ssh_string(space) + ssh_string(_reserved) + ssh_string(hash_alg)
            + ssh_string(digest))
    try:
        key_from_blob(public).verify(raw, data)
    except InvalidSignature:
        raise SignatureError("the signature does not match the manifest: the manifest was "
                             "changed after it was signed") from None
    return public


# --- the manifest ----------------------------------------------------------------------------

def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_bytes(name: str, version: str, publisher: str, files: dict[str, str],
                   date: dt.date | None = None) -> bytes:
    """The manifest, as stable JSON (sorted keys): what the signature covers."""
    manifest = {"format": MANIFEST_FORMAT, "name": name, "version": version,
                "publisher": publisher, "date": (date or dt.date.today()).isoformat(),
                "files": dict(sorted(files.items()))}
    return (json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


@dataclass(frozen=True)
class Manifest:
    name: str
    version: str
    publisher: str
    date: str
    files: dict[str, str]


def parse_manifest(data: bytes) -> Manifest:
    if len(data) > MAX_MANIFEST_BYTES:
        raise SignatureError("manifest.json is too large")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SignatureError(f"manifest.json is not valid JSON ({exc})") from None
    if not isinstance(raw, dict) or raw.get("format") != MANIFEST_FORMAT:
        raise SignatureError(f"manifest.json is not an edukit manifest (format "
                             f"'{MANIFEST_FORMAT}')")
    files = raw.get("files")
    if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise SignatureError("manifest.json: 'files' must map each file to its SHA-256")
    text = {k: str(raw.get(k, "")) for k in ("name", "version", "publisher", "date")}
    return Manifest(files=files, **text)


def manifest_differences(manifest: Manifest, hashes: dict[str, str]) -> list[str]:
    """Every file that differs from the manifest, one plain phrase each (empty: all match)."""
    found = []
    for name in sorted(set(manifest.files) | set(hashes)):
        if name not in hashes:
            found.append(f"'{name}' is listed in the manifest but missing from the pack")
        elif name not in manifest.files:
            found.append(f"'{name}' is in the pack but not in the manifest (added after "
                         "signing)")
        elif manifest.files[name].lower() != hashes[name]:
            found.append(f"'{name}' was changed: it differs from its manifest entry")
    return found


# --- what a pack's signature says ------------------------------------------------------------

TRUSTED, UNKNOWN, UNSIGNED, BROKEN = "trusted", "unknown key", "unsigned", "signature broken"


@dataclass
class PackSignature:
    """Who signed a pack and whether it is as signed. status is one of TRUSTED, UNKNOWN,
    UNSIGNED, BROKEN; problems lists why a pack is refused (empty: it may be installed)."""

    status: str
    manifest: Manifest | None = None
    key: bytes = b""
    trusted_name: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def may_change_helplines(self) -> bool:
        return self.status == TRUSTED and not self.problems

    def why_not_trusted(self) -> str:
        return ("this pack is not signed" if self.status == UNSIGNED else
                "this pack is signed by a key you have not trusted (edukit pack trust)")

    def describe(self) -> str:
        """One line for the import summary and `edukit pack verify`."""
        m = self.manifest
        pack = f"pack '{m.name}' version {m.version}, " if m else ""
        if self.status == UNSIGNED:
            return f"{pack}unsigned: its lessons may be added, its route files may not"
        words = f" (key {fingerprint_words(self.key)})" if self.key else ""
        if self.status == BROKEN:
            return f"{pack}signature broken{words}"
        if self.status == TRUSTED:
            return f"{pack}signed by {self.trusted_name}, a publisher you trust{words}"
        claimed = f" (says it is from '{m.publisher}')" if m and m.publisher else ""
        return (f"{pack}signed by an unknown key{words}{claimed}: its lessons may be added, its "
                "route files may not")


def check_signature(manifest: bytes | None, signature: bytes | None, hashes: dict[str, str],
                    trusted: dict[bytes, str]) -> PackSignature:
    """What the manifest and signature found in a pack say about the other members (hashes:
    member name → SHA-256) given the trusted keys (blob → publisher name)."""
    if manifest is None:
        if signature is not None:
            return PackSignature(BROKEN, problems=["it has a signature but no manifest.json"])
        return PackSignature(UNSIGNED)
    try:
        parsed = parse_manifest(manifest)
    except SignatureError as exc:
        return PackSignature(BROKEN, problems=[str(exc)])
    result = PackSignature(UNSIGNED, parsed)
    if signature is not None:
        try:
            result.key = ssh_verify(manifest, signature)
        except SignatureError as exc:
            result.status = BROKEN
            result.problems.append(str(exc))
            return result
        result.status = TRUSTED if result.key in trusted else UNKNOWN
        result.trusted_name = trusted.get(result.key, "")
        impostor = [name for name in trusted.values()
                    if name.casefold() == parsed.publisher.casefold()]
        if result.status == UNKNOWN and impostor:
            result.problems.append(f"it says it is from '{impostor[0]}', whom you trust, but it "
                                   "is signed by a different key")
    result.problems += manifest_differences(parsed, hashes)
    return result


WORDS = (
    "acorn", "anchor", "apple", "arrow", "autumn", "badger", "bamboo", "banjo", "barley",
    "beacon", "beaver", "berry", "bison", "blanket", "bottle", "bramble", "bridge", "bucket",
    "button", "cabin", "cactus", "camel", "candle", "canoe", "carrot", "castle", "cedar",
    "cherry", "chimney", "circus", "clover", "cobra", "comet", "copper", "coral", "cotton",
    "cricket", "crystal", "cypress", "daisy", "desert", "dolphin", "donkey", "dragon", "drum",
    "eagle", "echo", "elbow", "ember", "falcon", "feather", "fern", "fiddle", "finch", "flute",
    "forest", "fossil", "fountain", "fox", "garden", "garlic", "gecko", "ginger", "glacier",
    "goat", "granite", "grape", "gravel", "harbour", "harvest", "hazel", "hedgehog", "helmet",
    "heron", "hippo", "honey", "horizon", "iceberg", "igloo", "island", "ivory", "jacket",
    "jaguar", "jasmine", "jelly", "jigsaw", "jungle", "kayak", "kettle", "kitten", "koala",
    "ladder", "lagoon", "lantern", "lemon", "leopard", "lettuce", "lily", "lizard", "lobster",
    "locket", "magnet", "mango", "maple", "marble", "meadow", "melon", "mirror", "mitten",
    "monkey", "moose", "mosaic", "muffin", "nectar", "needle", "nutmeg", "oak", "oasis",
    "octopus", "olive", "onion", "orange", "orchid", "otter", "owl", "paddle", "panda", "parrot",
    "peach", "pebble", "pelican", "pepper", "piano", "pillow", "pine", "planet", "plum",
    "pocket", "pony", "poppy", "potato", "puffin", "pumpkin", "quail", "quartz", "quilt",
    "rabbit", "radish", "rainbow", "raven", "ribbon", "river", "robin", "rocket", "saddle",
    "salmon", "sandal", "scarf", "seal", "shadow", "shell", "silver", "sketch", "sledge",
    "snail", "spider", "spoon", "squirrel", "stable", "star", "stone", "sugar", "summer",
    "sunset", "swan", "teapot", "thistle", "thunder", "tiger", "timber", "toast", "tomato",
    "tortoise", "tower", "tractor", "trumpet", "tulip", "tunnel", "turnip", "umbrella",
    "valley", "velvet", "violin", "volcano", "wagon", "walnut", "walrus", "wasp", "water",
    "whale", "wheat", "whistle", "willow", "window", "winter", "wizard", "wolf", "wombat",
    "yacht", "yogurt", "zebra", "zipper", "almond", "basket", "biscuit", "cabbage", "canyon",
    "compass", "cookie", "crayon", "dinosaur", "engine", "falafel", "flamingo", "gazelle",
    "giraffe", "guitar", "hammock", "iguana", "kiwi", "lavender", "llama", "meteor", "noodle",
    "ostrich", "pancake", "penguin", "pirate", "pretzel", "raccoon", "sailboat", "sandwich",
    "seagull", "skipper", "snowman", "sparrow", "sunflower", "tadpole", "thimble", "toucan",
    "trolley", "unicorn", "vulture", "waffle", "weasel", "yak",
)
