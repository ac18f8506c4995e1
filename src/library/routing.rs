//! Routing orchestration: the primary skill's routing rules, refined with what search finds in
//! its documents, and the loaded skills' own descriptions for requests the rules decline.

use std::sync::Arc;

use super::{LibraryError, SkillLibrary};
use crate::routing::{Decision, NextStep, RouteDecision, Router};
use crate::skill::Skill;
use crate::text::analyzer::plain_words;

impl SkillLibrary {
    /// The routing rules of the primary skill, derived on first use.
    pub fn router(&self) -> Result<&Router, LibraryError> {
        let router = self
            .router
            .get_or_init(|| Router::from_skill(self.primary()).map_err(|e| e.to_string()));
        router.as_ref().map_err(|e| LibraryError::OutOfRange {
            argument: "routing rules",
            allowed: "readable".into(),
            got: e.clone(),
        })
    }

    /// Routes a request; when it activates this skill, `next_steps` names the sections to read
    /// first (from search) and the decision tables the request touches; a hand-off to a sibling
    /// loaded here says so.
    pub fn route(&self, request: &str) -> Result<RouteDecision, LibraryError> {
        if request.trim().is_empty() {
            return Err(LibraryError::OutOfRange {
                argument: "request",
                allowed: "a non-empty text".into(),
                got: "an empty text".into(),
            });
        }
        let router = match self.router() {
            Ok(router) => router,
            // A primary skill without a sibling catalog: decide from the loaded skills' own descriptions.
            Err(_)
                if self.skills.len() > 1 || !self.primary().files().exists(crate::routing::catalog::CATALOG_PATH) =>
            {
                return Ok(self.route_by_descriptions(request, None));
            }
            Err(e) => return Err(e),
        };
        let primary = self.primary().name().to_string();
        let best_reference = |distinctive: &[String]| -> Option<(String, f32)> {
            let hit = self
                .search(request, Some(1), None, Some(&primary), None)
                .ok()?
                .hits
                .into_iter()
                .next()?;
            let doc = self.primary().document(&hit.document).ok()?;
            let (index, _) = doc.find_section(&hit.section).ok()?;
            let section_words = router.distinctive_words(doc.section_markdown(index));
            let held = distinctive
                .iter()
                .filter(|w| section_words.binary_search(w).is_ok())
                .count();
            Some((hit.heading_path.join(" > "), held as f32 / distinctive.len() as f32))
        };
        let mut decision = router.route_with_references(request, best_reference);
        if decision.decision == Decision::Decline {
            // A loaded skill the catalog does not know may still take it.
            let by_description = self.route_by_descriptions(request, Some(&primary));
            if by_description.decision == Decision::Route {
                return Ok(by_description);
            }
        }
        if decision.decision == Decision::Route
            && let Some(sibling) = decision.skill.as_deref().and_then(|name| self.skill(Some(name)).ok())
        {
            decision
                .reasons
                .push(format!("{} is loaded on this server", sibling.name()));
            for step in &mut decision.next_steps {
                if let NextStep::HandOff { skill, loaded, .. } = step
                    && skill == sibling.name()
                {
                    *loaded = true;
                }
            }
        }
        if decision.decision == Decision::Activate {
            let hits = self
                .search(request, Some(3), None, Some(self.primary().name()), None)?
                .hits;
            let mut deciding = Vec::new();
            for hit in hits {
                let table = (hit.document == crate::skill::SKILL_MD)
                    .then(|| self.tables(None).ok())
                    .flatten()
                    .and_then(|tables| tables.into_iter().find(|t| t.section == hit.section));
                decision.next_steps.push(match table {
                    Some(table) => {
                        // A deciding tool that applies the table follows the reading.
                        for tool in
                            crate::decide::contract::tools_applying(self.primary(), crate::skill::SKILL_MD, &table.id)
                        {
                            if !deciding.iter().any(|(t, _)| *t == tool) {
                                deciding.push((tool, table.id.clone()));
                            }
                        }
                        NextStep::ReadTable {
                            skill: hit.skill,
                            table: table.id,
                            title: table.title,
                        }
                    }
                    None => NextStep::Read {
                        heading: Some(hit.heading_path.join(" > ")),
                        skill: hit.skill,
                        document: hit.document,
                        section: Some(hit.section),
                        uri: hit.uri,
                    },
                });
            }
            decision
                .next_steps
                .extend(deciding.into_iter().map(|(tool, table)| NextStep::CallTool {
                    tool: tool.to_string(),
                    table,
                }));
        }
        Ok(decision)
    }

    /// Routes by the loaded skills' descriptions alone: the skill whose description shares the
    /// most distinctive words with the request takes it, if it shares at least
    /// [`MIN_DESCRIPTION_OVERLAP`]. `except` is left out (the primary skill, already judged by
    /// its own rules).
    fn route_by_descriptions(&self, request: &str, except: Option<&str>) -> RouteDecision {
        let request_words = description_words(request);
        let mut best: Option<(&Arc<Skill>, Vec<String>)> = None;
        for skill in self.skills.iter().filter(|s| Some(s.name()) != except) {
            let shared: Vec<String> = description_words(&skill.frontmatter().description)
                .into_iter()
                .filter(|w| request_words.contains(w))
                .collect();
            if shared.len() >= MIN_DESCRIPTION_OVERLAP && best.as_ref().is_none_or(|(_, b)| shared.len() > b.len()) {
                best = Some((skill, shared));
            }
        }
        let Some((skill, shared)) = best else {
            return RouteDecision {
                decision: Decision::Decline,
                skill: None,
                confidence: 0.5,
                reasons: vec!["no loaded skill's description matches the request".into()],
                next_steps: vec![NextStep::Explain {
                    text: "Answer without a skill, or say that no loaded skill covers this.".into(),
                }],
            };
        };
        let is_primary = Arc::ptr_eq(skill, self.primary());
        RouteDecision {
            decision: if is_primary {
                Decision::Activate
            } else {
                Decision::Route
            },
            skill: Some(skill.name().to_string()),
            confidence: (0.4 + 0.1 * shared.len() as f32).min(0.9),
            reasons: vec![format!(
                "its description shares {} with the request: \"{}\"",
                shared.join(", "),
                crate::skill::files::display_name(&skill.frontmatter().description)
            )],
            // The primary skill reads its own SKILL.md; another loaded skill takes the request.
            next_steps: vec![if is_primary {
                NextStep::Read {
                    skill: skill.name().to_string(),
                    document: crate::skill::SKILL_MD.to_string(),
                    section: None,
                    heading: None,
                    uri: NextStep::skill_md_uri(skill.name()),
                }
            } else {
                NextStep::HandOff {
                    skill: skill.name().to_string(),
                    pass: None,
                    loaded: true,
                }
            }],
        }
    }
}

/// Distinctive words a request must share with a skill's description for the description
/// alone to route it there.
pub const MIN_DESCRIPTION_OVERLAP: usize = 3;

/// The distinctive words of a text: lowercase, at least four letters, not common words.
fn description_words(text: &str) -> Vec<String> {
    const COMMON: [&str; 24] = [
        "that", "this", "with", "from", "into", "when", "what", "have", "does", "your", "about", "such", "they",
        "them", "then", "than", "also", "only", "data", "use", "using", "skill", "need", "needs",
    ];
    let mut words: Vec<String> = plain_words(text)
        .into_iter()
        .filter(|w| w.chars().count() >= 4 && !COMMON.contains(&w.as_str()))
        .map(|w| w.trim_end_matches('s').to_string())
        .collect();
    words.sort();
    words.dedup();
    words
}
