#include "ticketd/projections/catalog_codec.h"

namespace ticketd::projections {

void EncodeCatalog(BinaryWriter& out, const domain::Catalog& catalog) {
  // creation_order lists every entry exactly once: it orders them canonically.
  out.U64(catalog.creation_order.size());
  for (const domain::Id& id : catalog.creation_order) {
    const domain::CatalogEntry& e = catalog.entries.at(id);
    out.U64(static_cast<std::uint64_t>(e.kind));
    out.Id(e.id);
    out.Id(e.parent_id);
    out.Bytes(e.name);
    out.Bytes(e.description);
    out.U64(e.team_ids.size());
    for (const domain::Id& member : e.team_ids) out.Id(member);
    out.U64(static_cast<std::uint64_t>(e.assignment));
    out.Bool(e.archived);
  }
  out.Bool(catalog.seeded);
  out.U64(static_cast<std::uint64_t>(catalog.reopen.kind));
  out.I64(catalog.reopen.within);
}

bool DecodeCatalog(BinaryReader& in, domain::Catalog* catalog) {
  std::size_t count = 0;
  if (!in.Count(&count)) return false;
  for (std::size_t i = 0; i < count; ++i) {
    domain::CatalogEntry e;
    std::size_t members = 0;
    if (!in.EnumBelow(static_cast<int>(domain::kAllCatalogKinds.size()), &e.kind) || !in.Id(&e.id) ||
        !in.Id(&e.parent_id) || !in.Bytes(&e.name) || !in.Bytes(&e.description) || !in.Count(&members))
      return false;
    e.team_ids.resize(members);
    for (domain::Id& member : e.team_ids)
      if (!in.Id(&member)) return false;
    if (!in.EnumBelow(static_cast<int>(domain::kAllAssignmentModes.size()), &e.assignment) ||
        !in.Bool(&e.archived))
      return false;
    catalog->creation_order.push_back(e.id);
    catalog->entries[e.id] = std::move(e);
  }
  return in.Bool(&catalog->seeded) && in.EnumBelow(3, &catalog->reopen.kind) && in.I64(&catalog->reopen.within);
}

}  // namespace ticketd::projections
