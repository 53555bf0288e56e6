//! Responses: each documented status classified as success or error with
//! its body, and the operation's success and error types (one body type, or
//! an enum by status when they differ).

use openapiv3::ReferenceOr;

use super::*;
use crate::error::{WarningKind, pointer_token};
use crate::load::sequential::{ITEM, Sequential, sequential};
use crate::naming;

impl<'a> Builder<'a> {
    pub(super) fn responses(&mut self, responses: &'a openapiv3::Responses, ptr: &str, type_base: &str) -> (Vec<Response>, Vec<Response>) {
        let mut entries: Vec<(StatusMatch, &'a ReferenceOr<openapiv3::Response>, String)> = Vec::new();
        for (code, r) in &responses.responses {
            let (status, token) = match code {
                openapiv3::StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                openapiv3::StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
            };
            entries.push((status, r, child(ptr, &token)));
        }
        let has_2xx = entries
            .iter()
            .any(|(s, _, _)| matches!(s, StatusMatch::Code(200..=299) | StatusMatch::Range(2)));
        if let Some(d) = &responses.default {
            entries.push((StatusMatch::Default, d, format!("{ptr}/default")));
        }
        if entries.is_empty() {
            // Nothing documented: any 2XX is a success with an untyped body.
            self.warn(WarningKind::NoResponses, ptr, "no responses are documented; a 2XX response is returned as raw bytes");
            let success = Response { status: StatusMatch::Range(2), body: ResponseBody::Bytes, doc: None, variant: "Status2xx".to_owned() };
            return (vec![success], Vec::new());
        }
        let is_success = |s: &StatusMatch| match s {
            StatusMatch::Code(c) => (200..300).contains(c),
            StatusMatch::Range(r) => *r == 2,
            StatusMatch::Default => !has_2xx,
        };
        let success_with_body = entries.iter().filter(|(s, _, _)| is_success(s)).count();
        let mut success = Vec::new();
        let mut errors = Vec::new();
        for (status, r, rptr) in entries {
            let ok = is_success(&status);
            let word = match status {
                StatusMatch::Code(c) => c.to_string(),
                StatusMatch::Range(r) => format!("{r}xx"),
                StatusMatch::Default => "default".to_owned(),
            };
            let hint = match (ok, success_with_body) {
                (true, 1) => format!("{type_base} response"),
                (true, _) => format!("{type_base} response {word}"),
                (false, _) => format!("{type_base} error {word}"),
            };
            let (resp, _) = match self.resolver.response(r, &rptr) {
                Ok(found) => found,
                Err(p) => {
                    self.problems.push(p);
                    continue;
                }
            };
            let pick = |pred: &dyn Fn(&str) -> bool| resp.content.iter().find(|(m, _)| pred(m));
            let stream = resp.content.iter().find_map(|(m, mt)| sequential(m).map(|kind| (m, mt, kind)));
            let body = if let Some((media, mt)) = pick(&|m| is_json_media(m) && sequential(m).is_none()) {
                match &mt.schema {
                    Some(s) => {
                        let (t, _) = self.schema_type(s, &hint, &format!("{rptr}/content/{}/schema", pointer_token(media)));
                        ResponseBody::Json(t)
                    }
                    None => ResponseBody::Json(TypeRef::Json),
                }
            } else if let Some((media, mt, kind)) = stream.filter(|_| ok) {
                self.stream_body(media, mt, kind, &hint, &rptr)
            } else if pick(&|m| is_text_media(m)).is_some() {
                ResponseBody::Text
            } else if resp.content.is_empty() {
                ResponseBody::Empty
            } else {
                ResponseBody::Bytes
            };
            let variant = naming::variant_name(&match status {
                StatusMatch::Code(c) => format!("status {c}"),
                StatusMatch::Range(r) => format!("status {r}xx"),
                StatusMatch::Default => "default".to_owned(),
            });
            let response = Response {
                status,
                body,
                doc: Some(resp.description.trim().to_owned()).filter(|d| !d.is_empty()),
                variant,
            };
            if ok { success.push(response) } else { errors.push(response) }
        }
        self.stream_fallback(&mut success, ptr);
        (success, errors)
    }

    /// The body of a streamed success response: events or JSON Lines, each
    /// item typed from the item schema the loader put under `schema`
    /// (see [`crate::load::sequential`]).
    fn stream_body(&mut self, media: &str, mt: &'a openapiv3::MediaType, kind: Sequential, hint: &str, rptr: &str) -> ResponseBody {
        let default_ptr = format!("{rptr}/content/{}", pointer_token(media));
        let at = mt.extensions.get(ITEM).and_then(|v| v.as_str()).unwrap_or(&default_ptr).to_owned();
        let item = match (&mt.schema, kind) {
            (Some(s), Sequential::Events) => self.schema_type(s, &format!("{hint} event"), &at).0,
            (Some(s), _) => self.schema_type(s, &format!("{hint} item"), &at).0,
            (None, Sequential::Events) => TypeRef::String,
            (None, _) => TypeRef::Json,
        };
        match kind {
            Sequential::Events => ResponseBody::Events(item),
            Sequential::JsonLines => ResponseBody::JsonLines { item, seq: false },
            Sequential::JsonSeq => ResponseBody::JsonLines { item, seq: true },
        }
    }

    /// A stream cannot be one variant of a response enum: when an
    /// operation's success responses have different bodies and one of them
    /// is a stream, the streams are read whole, as text, with a warning.
    fn stream_fallback(&mut self, success: &mut [Response], ptr: &str) {
        let is_stream = |b: &ResponseBody| matches!(b, ResponseBody::Events(_) | ResponseBody::JsonLines { .. });
        let first = success.first().map(|r| &r.body);
        if !success.iter().any(|r| is_stream(&r.body)) || success.iter().all(|r| Some(&r.body) == first) {
            return;
        }
        for r in success.iter_mut().filter(|r| is_stream(&r.body)) {
            r.body = ResponseBody::Text;
        }
        self.warn(
            WarningKind::StreamFallback,
            ptr,
            "a streamed success response (events or JSON Lines) next to other success bodies; it is read whole, as text",
        );
    }

    /// The success or error type of an operation: the one body type, or an
    /// enum by status when the responses differ (then the flag is `true`).
    pub(super) fn outcome_type(&mut self, responses: &[Response], hint: &str, ptr: &str, success: bool) -> (Option<TypeRef>, bool) {
        let relevant: Vec<&Response> = responses
            .iter()
            .filter(|r| success || matches!(r.body, ResponseBody::Json(_) | ResponseBody::Text))
            .collect();
        let mut distinct: Vec<&ResponseBody> = Vec::new();
        for r in &relevant {
            if !distinct.contains(&&r.body) {
                distinct.push(&r.body);
            }
        }
        match distinct.as_slice() {
            [] => (None, false),
            [one] => (body_type(one), false),
            _ => {
                let doc = Some(if success {
                    "The documented success responses, by status.".to_owned()
                } else {
                    "The documented error bodies, by status.".to_owned()
                });
                let (_, id) = self.new_type(hint, ptr, doc);
                let variants = relevant
                    .iter()
                    .map(|r| ResponseVariant { name: r.variant.clone(), ty: body_type(&r.body), doc: r.doc.clone() })
                    .collect();
                self.types[id.0].kind = TypeKind::Responses { variants };
                (Some(TypeRef::Named(id)), true)
            }
        }
    }
}

fn body_type(body: &ResponseBody) -> Option<TypeRef> {
    match body {
        ResponseBody::Empty => None,
        ResponseBody::Json(t) => Some(t.clone()),
        ResponseBody::Text => Some(TypeRef::String),
        ResponseBody::Bytes => Some(TypeRef::Bytes),
        ResponseBody::Events(t) | ResponseBody::JsonLines { item: t, .. } => Some(t.clone()),
    }
}
