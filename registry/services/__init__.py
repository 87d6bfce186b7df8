"""Writes with rules. Each function takes keyword-only arguments and runs in a transaction.

Import as `from registry import services` and call `services.claim_create(...)`; the
submodules group them by subject.
"""

from registry.services.claims import (
                                      CLAIM_TRANSITIONS,
                                      claim_create,
                                      claim_release,
                                      claim_renew,
                                      claim_set_state,
                                      claims_mark_dormant,
                                      claims_note_publication,
)
from registry.services.endorsements import (
                                      RECORDED_EXPERT_REASON,
                                      endorsement_create,
                                      endorsement_retract,
                                      endorsement_void,
                                      recognition_end,
                                      recognition_for_recorded_expert,
                                      recognition_record,
)
from registry.services.foundation import (
                                      CATALOGUE_PATH,
                                      CatalogueLoadResult,
                                      account_create,
                                      catalogue_load,
                                      profile_for,
                                      profile_update,
)
from registry.services.topics import topic_decide, topic_save, topic_suggest
from registry.services.writeups import (
                                      writeup_create,
                                      writeup_delete,
                                      writeup_publish,
                                      writeup_update,
                                      writeups_rerender,
)

__all__ = [
    "CATALOGUE_PATH", "CLAIM_TRANSITIONS", "CatalogueLoadResult", "account_create",
    "catalogue_load", "claim_create", "claim_release", "claim_renew", "claim_set_state",
    "claims_mark_dormant", "claims_note_publication", "endorsement_create",
    "endorsement_retract", "endorsement_void", "profile_for", "profile_update",
    "RECORDED_EXPERT_REASON", "recognition_end", "recognition_for_recorded_expert",
    "recognition_record",
    "topic_decide", "topic_save",
    "topic_suggest", "writeup_create", "writeup_delete", "writeup_publish", "writeup_update",
    "writeups_rerender",
]
