// Property 1 — no data loss (summary key "no_data_loss").
//
// In words: in each direction of each session, the receiving application reads exactly the
// stream the sending application wrote — in order, with no byte missing, duplicated, added
// or changed — except for the changes that content-changing middleboxes declared with X
// records. Concretely, the expected stream is the sender's writes with each edit's removed
// writes replaced by its inserted bytes; it is a sequence of pieces (one per surviving write,
// one per edit that inserts bytes), and the receiver's k-th read must be the k-th piece: the
// same offset in the receiver's stream, the same length and the same content hash.
//   - If the receiver's connection ended with a FIN (C fin), it must have read every piece,
//     and the edits' net length change must equal the session's declared delta for that
//     direction.
//   - Otherwise (reset, timeout, or the trace ends first) what it read must be a prefix of
//     the expected stream; its last read may be a shorter prefix of its piece (its hash is
//     then not comparable and not checked).
//
// Offending event: the read that breaks the rule; for a FIN-closed receiver that missed data,
// the record (write or edit) that produced the first piece it never read; for a delta that
// does not match, the session's S record.
#ifndef DYSCO_VERIFY_PROPERTY_NO_DATA_LOSS_H
#define DYSCO_VERIFY_PROPERTY_NO_DATA_LOSS_H

#include "property.h"

namespace dysco
{
namespace verify
{

ScanResult ScanNoDataLoss(const Trace& trace, const SessionView& s);
Z3Result Z3NoDataLoss(z3::context& ctx, const Trace& trace, const SessionView& s,
                      unsigned timeoutMs);

} // namespace verify
} // namespace dysco

#endif
