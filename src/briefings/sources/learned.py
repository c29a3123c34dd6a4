"""Sites' learned furniture in the store: `SiteMemory` to rows and back.

Every count is kept, those of blocks seen once included, packed in one binary field per site:
an ingest every few minutes brings a site one or two new articles, and only counts that carry
over from one ingest to the next can ever reach the threshold. The blocks seen twice or more
are also written as rows, with their path and text, so editors can read what was learned.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping

from briefings.pipeline.sitefurniture import SiteMemory
from briefings.sources.models import LearnedBlock, LearnedSite


def load_memories(hosts: Iterable[str]) -> dict[str, SiteMemory]:
    """The stored memory of each of `hosts` that has one."""
    memories = {}
    for site in LearnedSite.objects.filter(host__in=list(hosts)).prefetch_related("blocks"):
        seen = _unpack_counts(bytes(site.counts))
        samples = {int(b.key, 16): (b.path, b.text) for b in site.blocks.all()}
        known = dict.fromkeys(_unpack_keys(bytes(site.known)))
        memories[site.host] = SiteMemory(pages=site.pages, seen=seen, samples=samples,
                                         known=known)
    return memories


def save_memories(memories: Mapping[str, SiteMemory]) -> None:
    """Write each memory over its host's stored one (call inside a transaction)."""
    for host, memory in memories.items():
        site, _ = LearnedSite.objects.update_or_create(host=host, defaults={
            "pages": memory.pages, "counts": _pack_counts(memory.seen),
            "known": struct.pack(f"<{len(memory.known)}Q", *memory.known),
        })
        furniture = memory.furniture()
        site.blocks.all().delete()
        LearnedBlock.objects.bulk_create(
            LearnedBlock(site=site, key=f"{key:016x}", path=path[:500], text=text[:200],
                         pages=memory.seen.get(key, 0), furniture=key in furniture)
            for key, (path, text) in memory.samples.items()
        )


def _pack_counts(seen: Mapping[int, int]) -> bytes:
    """Keys then counts, little-endian: 10 bytes a block."""
    return struct.pack(f"<{len(seen)}Q{len(seen)}H", *seen, *(min(n, 65535) for n in seen.values()))


def _unpack_counts(data: bytes) -> dict[int, int]:
    size = len(data) // 10
    values = struct.unpack(f"<{size}Q{size}H", data[: size * 10])
    return dict(zip(values[:size], values[size:], strict=True))


def _unpack_keys(data: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(data) // 8}Q", data[: len(data) // 8 * 8])
