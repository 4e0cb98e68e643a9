//! Share links and `.stepwise.json` scenario files: one JSON **envelope**, two carriers.
//!
//! A `.stepwise.json` file and a share link hold the same JSON object, the [`Envelope`]:
//!
//! ```json
//! {
//!   "stepwise": 1,
//!   "sample": "batch-retry-catch-notify",
//!   "definition": "{\n  \"StartAt\": …",
//!   "input": "{}\n",
//!   "seed": 7,
//!   "context": {"executionName": "run-1"},
//!   "outcomes": {"Submit Batch Job": [{"throw": {"Error": "Batch.ServerException", "Cause": "…"}},
//!                                     null,
//!                                     {"return": {"Status": "SUCCEEDED"}, "durationMs": 60000}]},
//!   "cursor": 7,
//!   "selected": "Submit Batch Job",
//!   "view": {"stepBy": "event", "ask": false, "tab": "definition", "speed": 2}
//! }
//! ```
//!
//! | key | meaning |
//! |---|---|
//! | `stepwise` | format marker, `1`. A larger number means a newer, incompatible format ([`EnvelopeError::Newer`]). Written always; optional when read. |
//! | `sample` | id of the sample gallery entry the documents came from (informational). |
//! | `definition` | the definition text exactly as typed (formatting and comments kept). When reading, a JSON object is accepted too and stored pretty-printed (handy for hand-written files). |
//! | `input` | the execution input text as typed. When reading, a non-string JSON value is accepted and stored pretty-printed. |
//! | `seed` | the simulation seed ([`crate::Scenario::seed`]). |
//! | `context` | names and start time of the run, the `context` form of [`crate::Scenario`] JSON. |
//! | `outcomes` | injected outcomes: per Task state name, one entry per invocation number (0-based, as in MockConfigFile), each the [`crate::PlannedOutcome`] JSON form or `null` for "the resource's default". |
//! | `cursor` | how many history events are revealed (0 = before the start). |
//! | `selected` | the state selected on the graph. |
//! | `view` | page view options: `stepBy` (`"event"`/`"state"`), `ask` (bool), `tab` (`"definition"`/`"input"`), `speed` (steps per second). |
//!
//! ## Compatibility rules (why there is no v2 for new fields)
//! * **Every key is optional**; `null` reads as absent. `{}` is a valid (empty) scenario.
//! * **Unknown keys are kept, not rejected**: unknown top-level keys land in [`Envelope::extra`],
//!   unknown `view` keys in [`View::extra`], and both are written back on encode, so a link made by
//!   a newer minor version opens (ignoring what it does not know) and survives a round trip. An
//!   unknown *value* of `view.stepBy` / `view.tab` is treated the same way (kept in
//!   [`View::extra`], the option reads as absent).
//! * **Known keys are strict**: a known key with a value of the wrong type is an error carrying the
//!   JSON pointer of the bad spot. Outcome objects are strict too (an unknown outcome kind would
//!   make the page show a different execution than its author saw): changing what an outcome can
//!   be needs a new format number.
//!
//! ## Link codec ([`encode`] / [`decode`])
//! `#v1/` + base64url without padding ( raw deflate (best compression) of the compact JSON
//! envelope, followed by the 4-byte big-endian CRC-32 (IEEE) of that JSON ). The checksum trailer
//! makes every tampered or truncated link fail loudly instead of opening something else; a
//! standard raw-inflate (which stops at the end of the deflate stream) still reads the JSON.
//! Inflating stops as soon as the JSON would exceed [`MAX_JSON_BYTES`] (1 MiB), without allocating
//! the rest. Every failure is a distinct [`LinkError`] whose `Display` is the user-facing message.

mod envelope;
mod link;

pub use envelope::{EditorTab, Envelope, EnvelopeError, ScenarioFile, StepBy, View};
pub use link::{
    CHAT_LIMIT, EncodeError, LINK_PREFIX, LinkError, MAX_JSON_BYTES, crc32, decode, decode_text,
    encode, encode_payload, looks_like_link, url, without_sample_query,
};

/// The envelope format this code reads and writes (the `"stepwise"` marker and the `#v1/` prefix).
pub const FORMAT: u64 = 1;
