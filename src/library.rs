//! The skills a server serves, and the questions asked of them: search, read a document or a
//! section within a token budget, list documents, read decision tables. The search index is
//! opened (or, for skill folders without a cached index, built) the first time it is needed, so
//! start-up stays fast.

use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::routing::{Decision, NextStep, RouteDecision, Router, RoutingError};
use crate::search::cache::IndexCache;
use crate::search::{Hit, SearchError, SearchIndex, SearchRequest};
use crate::skill::{Document, Skill, SkillError, uri};
use crate::tables::{self, DecisionTable, TableError};
use crate::tokens;

/// Budget for reading a document or section when the caller names none.
pub const DEFAULT_READ_TOKENS: usize = 4_000;
/// The smallest budget a caller may ask for.
pub const MIN_MAX_TOKENS: usize = 150;
/// Default number of search hits.
pub const DEFAULT_SEARCH_LIMIT: usize = 5;
/// Most search hits per request.
pub const MAX_SEARCH_LIMIT: usize = 20;

/// Why a request to the library failed. Each message names what was wrong and what is allowed.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// A document, file or section was not found, or a path was refused.
    #[error(transparent)]
    Skill(#[from] SkillError),
    /// A table or column was not found.
    #[error(transparent)]
    Table(#[from] TableError),
    /// The index failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// No skill has that name.
    #[error("no skill {requested:?}; loaded skills: {}", available.join(", "))]
    UnknownSkill {
        /// The name asked for.
        requested: String,
        /// The names there are.
        available: Vec<String>,
    },
    /// The routing rules could not be built.
    #[error(transparent)]
    Routing(#[from] RoutingError),
    /// A deciding tool could not decide.
    #[error(transparent)]
    Decide(#[from] crate::decide::DecideError),
    /// A configuration could not be reviewed.
    #[error(transparent)]
    Review(#[from] crate::review::ReviewError),
    /// An argument is out of its range.
    #[error("{argument} must be {allowed}; got {got}")]
    OutOfRange {
        /// The argument's name.
        argument: &'static str,
        /// What is allowed.
        allowed: String,
        /// What was given.
        got: String,
    },
}

/// One entry of a table of contents.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SectionEntry {
    /// The section's slug, for `read_reference`.
    pub slug: String,
    /// The heading text.
    pub heading: String,
    /// Heading level (1 to 6).
    pub level: u8,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SearchReply {
    /// Matching sections, best first.
    pub hits: Vec<Hit>,
    /// How many sections matched in all (hits may be fewer).
    pub total: usize,
    /// Misspelt query words that were searched as a corpus word instead, as `from -> to`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<String>,
    /// True when hits were left out to stay within `max_tokens`.
    pub truncated: bool,
}

/// A document or one of its sections, as markdown.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ReadReply {
    /// The skill the document belongs to.
    pub skill: String,
    /// The document's name.
    pub document: String,
    /// The section's slug, when one section was read.
    pub section: Option<String>,
    /// The `skill://` URI of what was read.
    pub uri: String,
    /// The markdown.
    pub content: String,
    /// Navigation: the document's sections (when reading a whole document) or the read
    /// section's subsections.
    pub sections: Vec<SectionEntry>,
    /// True when the content was cut to stay within the token budget.
    pub truncated: bool,
    /// The slug of the section to read next: the first one left out, or the one after.
    pub next_section: Option<String>,
}

/// A document in the listing.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ReferenceSummary {
    /// The skill the document belongs to.
    pub skill: String,
    /// The name to pass to `read_reference`.
    pub name: String,
    /// The document's title.
    pub title: String,
    /// One line on what it holds.
    pub description: String,
    /// Its `skill://` URI.
    pub uri: String,
    /// Its size in tokens (estimated; see the tokens module).
    pub tokens: usize,
    /// How many `##` and `###` sections it has.
    pub section_count: usize,
    /// Its `##` and `###` sections, when asked for (one `document`, or `sections: true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<SectionEntry>>,
}

/// A set of loaded skills with a search index over all of them.
#[derive(Debug)]
pub struct SkillLibrary {
    skills: Vec<Arc<Skill>>,
    index: OnceLock<Result<SearchIndex, String>>,
    index_cache: IndexCache,
    router: OnceLock<Result<Router, String>>,
    review_rules: OnceLock<Result<Arc<crate::review::RuleBook>, crate::review::ReviewError>>,
}

impl SkillLibrary {
    /// A library of these skills; the first is the primary one.
    pub fn new(skills: Vec<Arc<Skill>>) -> Self {
        assert!(!skills.is_empty(), "a library holds at least one skill");
        Self {
            skills,
            index: OnceLock::new(),
            index_cache: IndexCache::Off,
            router: OnceLock::new(),
            review_rules: OnceLock::new(),
        }
    }

    /// Keeps the search index of skill folders in `cache` (the embedded skill's is compiled in).
    pub fn with_index_cache(mut self, cache: IndexCache) -> Self {
        self.index_cache = cache;
        self
    }

    /// The skills, primary first.
    pub fn skills(&self) -> &[Arc<Skill>] {
        &self.skills
    }

    /// The primary skill.
    pub fn primary(&self) -> &Arc<Skill> {
        &self.skills[0]
    }

    /// The skill with this name, or the primary one when `name` is `None`.
    pub fn skill(&self, name: Option<&str>) -> Result<&Arc<Skill>, LibraryError> {
        match name {
            None => Ok(self.primary()),
            Some(name) => self
                .skills
                .iter()
                .find(|s| s.name() == name)
                .ok_or_else(|| LibraryError::UnknownSkill {
                    requested: crate::skill::files::display_name(name),
                    available: self.skills.iter().map(|s| s.name().to_string()).collect(),
                }),
        }
    }

    /// The search index, opened or built on first use.
    pub fn index(&self) -> Result<&SearchIndex, LibraryError> {
        let built = self.index.get_or_init(|| {
            let skills: Vec<&Skill> = self.skills.iter().map(AsRef::as_ref).collect();
            let index = crate::search::cache::open(&skills, &self.index_cache).map_err(|e| e.to_string());
            if let Ok(index) = &index {
                tracing::debug!(
                    sections = index.len(),
                    origin = ?index.origin(),
                    ms = index.build_time().as_secs_f64() * 1e3,
                    "search index ready"
                );
            }
            index
        });
        built.as_ref().map_err(|e| LibraryError::OutOfRange {
            argument: "index",
            allowed: "buildable".into(),
            got: e.clone(),
        })
    }

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

    /// Finds a document: by name, file name, path or `skill://` URI, in `skill` or (when it is
    /// `None`) in the skill a URI names, else the primary skill.
    pub fn document(&self, skill: Option<&str>, document: &str) -> Result<(Arc<Skill>, Arc<Document>), LibraryError> {
        let from_uri = uri::SkillUri::parse(document).map(|u| u.skill().to_string());
        let skill = self.skill(skill.or(from_uri.as_deref()))?;
        Ok((skill.clone(), skill.document(document)?))
    }

    /// Searches all skills, or one, holding the reply to `max_tokens` when given.
    pub fn search(
        &self,
        query: &str,
        limit: Option<usize>,
        document: Option<&str>,
        skill: Option<&str>,
        max_tokens: Option<usize>,
    ) -> Result<SearchReply, LibraryError> {
        let limit = limit.unwrap_or(DEFAULT_SEARCH_LIMIT);
        check_range("limit", limit, 1, MAX_SEARCH_LIMIT)?;
        let max_tokens = check_budget(max_tokens)?;
        let document = match document {
            Some(d) => Some(self.document(skill, d)?.1.name.clone()),
            None => None,
        };
        if let Some(skill) = skill {
            self.skill(Some(skill))?;
        }
        let outcome = self.index()?.search(
            &SearchRequest {
                query,
                limit,
                document: document.as_deref(),
                skill,
            },
            self.skills.as_slice(),
        )?;
        let mut reply = SearchReply {
            hits: outcome.hits,
            total: outcome.total,
            corrections: outcome
                .corrections
                .into_iter()
                .map(|(from, to)| format!("{from} -> {to}"))
                .collect(),
            truncated: false,
        };
        if let Some(budget) = max_tokens {
            while reply_tokens(&reply) > budget && !reply.hits.is_empty() {
                reply.hits.pop();
                reply.truncated = true;
            }
        }
        Ok(reply)
    }

    /// Reads a document, or one section of it (with its subsections), within `max_tokens`
    /// (default [`DEFAULT_READ_TOKENS`]).
    pub fn read(
        &self,
        skill: Option<&str>,
        document: &str,
        section: Option<&str>,
        max_tokens: Option<usize>,
    ) -> Result<ReadReply, LibraryError> {
        let budget = check_budget(max_tokens)?.unwrap_or(DEFAULT_READ_TOKENS);
        let section = section
            .map(str::to_string)
            .or_else(|| match uri::SkillUri::parse(document) {
                Some(uri::SkillUri::Section { section, .. }) => Some(section),
                _ => None,
            });
        let (skill, doc) = self.document(skill, document)?;
        match section {
            Some(section) => {
                let (index, _) = doc.find_section(&section)?;
                Ok(read_section(skill.name(), &doc, index, budget))
            }
            None => Ok(read_document(skill.name(), &doc, budget)),
        }
    }

    /// Every document of every skill (or of one skill, or one document), each with its section
    /// count; with its sections too when `sections` is true.
    pub fn list_references(
        &self,
        skill: Option<&str>,
        document: Option<&str>,
        sections: bool,
    ) -> Result<Vec<ReferenceSummary>, LibraryError> {
        let summary = |skill: &Skill, doc: &Document| {
            let listed: Vec<SectionEntry> = doc
                .markdown
                .sections
                .iter()
                .filter(|s| (2..=3).contains(&s.level))
                .map(entry)
                .collect();
            ReferenceSummary {
                skill: skill.name().to_string(),
                name: doc.name.clone(),
                title: doc.title.clone(),
                description: doc.description.clone(),
                uri: uri::file_uri(skill.name(), &doc.path),
                tokens: tokens::estimate(&doc.source),
                section_count: listed.len(),
                sections: sections.then_some(listed),
            }
        };
        if let Some(document) = document {
            let (skill, doc) = self.document(skill, document)?;
            return Ok(vec![summary(&skill, &doc)]);
        }
        let skills: Vec<&Arc<Skill>> = match skill {
            Some(name) => vec![self.skill(Some(name))?],
            None => self.skills.iter().collect(),
        };
        let mut out = Vec::new();
        for skill in skills {
            for doc in skill.documents()? {
                out.push(summary(skill, &doc));
            }
        }
        Ok(out)
    }

    /// The decision tables of a skill: `SKILL.md`'s, then its reference documents'.
    pub fn tables(&self, skill: Option<&str>) -> Result<Vec<DecisionTable>, LibraryError> {
        Ok(tables::skill_tables(self.skill(skill)?)?)
    }

    /// The facts the deciding tools read, from a skill (the primary one by default).
    pub fn facts(&self, skill: Option<&str>) -> Result<crate::decide::SkillFacts, LibraryError> {
        Ok(crate::decide::SkillFacts::new(self.skill(skill)?.clone()))
    }

    /// The primary skill's configuration review rules and known keys, read on first use.
    pub fn review_rules(&self) -> Result<Arc<crate::review::RuleBook>, LibraryError> {
        let book = self
            .review_rules
            .get_or_init(|| crate::review::RuleBook::load(self.primary()).map(Arc::new));
        Ok(book.clone()?)
    }

    /// Reviews a configuration against the primary skill's rules.
    pub fn review(&self, input: &crate::review::ReviewInput) -> Result<crate::review::ConfigReview, LibraryError> {
        let book = self.review_rules()?;
        Ok(crate::review::review(&book, input)?)
    }

    /// One decision table by id (a unique part of the id is enough).
    pub fn table(&self, skill: Option<&str>, id: &str) -> Result<DecisionTable, LibraryError> {
        let all = self.tables(skill)?;
        Ok(tables::find(&all, id)?.clone())
    }
}

fn check_range(argument: &'static str, value: usize, min: usize, max: usize) -> Result<(), LibraryError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(LibraryError::OutOfRange {
            argument,
            allowed: format!("between {min} and {max}"),
            got: value.to_string(),
        })
    }
}

fn check_budget(max_tokens: Option<usize>) -> Result<Option<usize>, LibraryError> {
    match max_tokens {
        Some(n) if n < MIN_MAX_TOKENS => Err(LibraryError::OutOfRange {
            argument: "max_tokens",
            allowed: format!("at least {MIN_MAX_TOKENS}"),
            got: n.to_string(),
        }),
        other => Ok(other),
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
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4 && !COMMON.contains(&w.as_str()))
        .map(|w| w.trim_end_matches('s').to_string())
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The tokens of a value as the client receives it: its JSON.
pub fn reply_tokens<T: Serialize>(reply: &T) -> usize {
    tokens::estimate(&serde_json::to_string(reply).unwrap_or_default())
}

fn entry(section: &crate::markdown::Section) -> SectionEntry {
    SectionEntry {
        slug: section.slug.clone(),
        heading: section.heading.clone(),
        level: section.level,
    }
}

fn read_section(skill: &str, doc: &Document, index: usize, budget: usize) -> ReadReply {
    let sections = &doc.markdown.sections;
    let section = &sections[index];
    let children: Vec<usize> = (index + 1..sections.len())
        .take_while(|&i| sections[i].range.start < section.range.end)
        .collect();
    let after = sections
        .iter()
        .position(|s| s.heading_range.start >= section.range.end)
        .map(|i| sections[i].slug.clone());
    let mut reply = ReadReply {
        skill: skill.to_string(),
        document: doc.name.clone(),
        section: Some(section.slug.clone()),
        uri: uri::section_uri(skill, &doc.name, &section.slug),
        content: doc.section_markdown(index).to_string(),
        sections: children.iter().map(|&i| entry(&sections[i])).collect(),
        truncated: false,
        next_section: after.clone(),
    };
    if reply_tokens(&reply) <= budget {
        return reply;
    }
    // Keep the section's own text and as many whole subsections as fit.
    reply.truncated = true;
    let own_end = section.content_range.end;
    for (n, &child) in children.iter().enumerate().rev() {
        let end = sections[child].heading_range.start;
        reply.content = doc.source[section.range.start..end].trim_end().to_string();
        reply.next_section = Some(sections[child].slug.clone());
        if reply_tokens(&reply) <= budget && end > own_end {
            return reply;
        }
        if n == 0 {
            break;
        }
    }
    // Even the section's own text is too long: cut it at a paragraph boundary.
    let own = doc.source[section.range.start..own_end].trim_end();
    reply.next_section = children.first().map(|&c| sections[c].slug.clone()).or(after);
    reply.content = own.to_string();
    fit(reply, budget)
}

fn read_document(skill: &str, doc: &Document, budget: usize) -> ReadReply {
    let sections = &doc.markdown.sections;
    let body_start = crate::skill::frontmatter::split(&doc.source).map_or(0, |(_, offset)| offset);
    let body = doc.source[body_start..].trim();
    let mut reply = ReadReply {
        skill: skill.to_string(),
        document: doc.name.clone(),
        section: None,
        uri: uri::file_uri(skill, &doc.path),
        content: body.to_string(),
        sections: sections.iter().filter(|s| s.level <= 3).map(entry).collect(),
        truncated: false,
        next_section: None,
    };
    if reply_tokens(&reply) <= budget {
        return reply;
    }
    // Too long: a table of contents, then whole top-level sections while they fit.
    reply.truncated = true;
    reply.sections = sections.iter().filter(|s| s.level <= 2).map(entry).collect();
    let toc: String = sections
        .iter()
        .filter(|s| s.level <= 3)
        .map(|s| {
            format!(
                "{}- {} (`{}`)\n",
                "  ".repeat(usize::from(s.level.saturating_sub(2))),
                s.heading,
                s.slug
            )
        })
        .collect();
    let header = format!(
        "<!-- {} is longer than the budget: contents first, then the sections that fit. Read any section with read_reference(document, section). -->\n\n## Contents\n\n{toc}\n",
        doc.name
    );
    let mut cut_points: Vec<(usize, Option<String>)> = sections
        .iter()
        .filter(|s| s.level <= 2 && s.heading_range.start > body_start)
        .map(|s| (s.heading_range.start, Some(s.slug.clone())))
        .collect();
    cut_points.push((doc.source.len(), None));
    let mut best = None;
    for (end, next) in &cut_points {
        let mut probe = reply.clone();
        probe.content = format!("{header}{}", doc.source[body_start..*end].trim());
        probe.next_section = next.clone();
        if reply_tokens(&probe) <= budget {
            best = Some(probe);
        } else {
            break;
        }
    }
    if let Some(best) = best {
        return best;
    }
    reply.next_section = sections.iter().find(|s| s.level == 2).map(|s| s.slug.clone());
    contents_only(reply, doc, budget)
}

/// The reply for a budget too small for any text of a long document: the list of its sections
/// (what the caller needs to choose one), the top-level ones first, as many as fit, with a count
/// of those left out.
fn contents_only(mut reply: ReadReply, doc: &Document, budget: usize) -> ReadReply {
    let sections = &doc.markdown.sections;
    let listed: Vec<&crate::markdown::Section> = sections.iter().filter(|s| s.level <= 3).collect();
    let top: Vec<&crate::markdown::Section> = listed.iter().copied().filter(|s| s.level <= 2).collect();
    let render = |kept: &[&crate::markdown::Section]| {
        let left_out = listed.len() - kept.len();
        let mut content = format!(
            "<!-- {} is longer than the budget: its sections, to read one with read_reference(document, section){}. -->\n",
            doc.name,
            if left_out > 0 {
                format!(
                    "; {left_out} of {} left out, raise max_tokens to see them",
                    listed.len()
                )
            } else {
                String::new()
            }
        );
        for s in kept {
            let indent = "  ".repeat(usize::from(s.level.saturating_sub(2)));
            content.push_str(&format!("{indent}- {} (`{}`)\n", s.heading, s.slug));
        }
        content
    };
    let with = |kept: &[&crate::markdown::Section]| {
        let mut probe = reply.clone();
        probe.content = render(kept);
        probe.sections = kept.iter().map(|s| entry(s)).collect();
        probe
    };
    // Every section with its subsections when they all fit; else the top-level ones that fit.
    let all = with(&listed);
    if reply_tokens(&all) <= budget {
        return all;
    }
    let mut kept = top;
    while !kept.is_empty() {
        let probe = with(&kept);
        if reply_tokens(&probe) <= budget {
            return probe;
        }
        kept.pop();
    }
    reply.sections.clear();
    reply.content = render(&[]);
    fit(reply, budget)
}

/// Makes a reply fit a budget that its text does not: navigation entries go first, then the
/// content is cut at a paragraph, line or word boundary.
fn fit(mut reply: ReadReply, budget: usize) -> ReadReply {
    reply.truncated = true;
    while reply_tokens(&reply) > budget && !reply.sections.is_empty() {
        reply.sections.pop();
    }
    if reply_tokens(&reply) > budget {
        let full = std::mem::take(&mut reply.content);
        reply.content = cut_to_fit(&full, |content| {
            let mut probe = reply.clone();
            probe.content = content.to_string();
            reply_tokens(&probe) <= budget
        });
    }
    reply
}

/// The longest prefix of `text`, cut at a blank line (or else a line end, or else a word), that
/// `fits` accepts; empty when none does.
fn cut_to_fit(text: &str, fits: impl Fn(&str) -> bool) -> String {
    let mut best = String::new();
    for separator in ["\n\n", "\n", " "] {
        let mut end = 0;
        for (i, _) in text.match_indices(separator) {
            if fits(text[..i].trim_end()) {
                end = i;
            } else {
                break;
            }
        }
        if end > 0 {
            best = text[..end].trim_end().to_string();
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library() -> SkillLibrary {
        SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())])
    }

    #[test]
    fn read_within_budget() {
        let lib = library();
        for budget in [150, 300, 800, 2_000, 6_000] {
            let reply = lib.read(None, "kafka-deep-dive", None, Some(budget)).unwrap();
            assert!(reply_tokens(&reply) <= budget, "{budget}: {}", reply_tokens(&reply));
            assert!(reply.truncated || budget >= 6_000);
            let section = lib
                .read(None, "SKILL.md", Some("core-principles"), Some(budget))
                .unwrap();
            assert!(reply_tokens(&section) <= budget);
        }
    }

    #[test]
    fn a_small_budget_returns_the_section_list_first() {
        let lib = library();
        let total = lib
            .document(None, "kafka-deep-dive")
            .unwrap()
            .1
            .markdown
            .sections
            .iter()
            .filter(|s| s.level <= 3)
            .count();
        for budget in [300, 800, 1_500] {
            let reply = lib.read(None, "kafka-deep-dive", None, Some(budget)).unwrap();
            assert!(reply_tokens(&reply) <= budget, "{budget}: {}", reply_tokens(&reply));
            assert!(reply.truncated);
            assert!(!reply.sections.is_empty(), "{budget}: no sections");
            assert!(
                reply.content.contains(&format!("(`{}`)", reply.sections[0].slug)),
                "{}",
                reply.content
            );
            if reply.sections.len() < total {
                assert!(
                    reply
                        .content
                        .contains(&format!("{} of {total} left out", total - reply.sections.len())),
                    "{budget}: {}",
                    reply.content
                );
            }
        }
    }

    #[test]
    fn small_document_fits_whole() {
        let lib = library();
        let reply = lib.read(None, "SKILL.md", Some("monitoring-thresholds"), None).unwrap();
        assert!(!reply.truncated);
        assert!(reply.content.starts_with("## Monitoring Thresholds"));
        assert_eq!(reply.sections[0].slug, "alert-tiers");
        assert_eq!(reply.next_section.as_deref(), Some("security-posture"));
    }

    #[test]
    fn search_budget_drops_hits() {
        let lib = library();
        let full = lib.search("exactly once", Some(10), None, None, None).unwrap();
        let held = lib.search("exactly once", Some(10), None, None, Some(300)).unwrap();
        assert!(reply_tokens(&held) <= 300);
        assert!(held.hits.len() < full.hits.len());
        assert!(held.truncated);
    }

    #[test]
    fn bad_arguments_name_the_allowed_values() {
        let lib = library();
        let err = lib.search("x", Some(0), None, None, None).unwrap_err().to_string();
        assert_eq!(err, "limit must be between 1 and 20; got 0");
        let err = lib.read(None, "SKILL.md", None, Some(3)).unwrap_err().to_string();
        assert_eq!(err, "max_tokens must be at least 150; got 3");
        let err = lib.skill(Some("nope")).unwrap_err().to_string();
        assert_eq!(err, "no skill \"nope\"; loaded skills: streaming-data-skill");
    }

    #[test]
    fn uri_reads_a_section() {
        let lib = library();
        let reply = lib
            .read(
                None,
                "skill://streaming-data-skill/sections/SKILL.md/windowing-patterns",
                None,
                None,
            )
            .unwrap();
        assert_eq!(reply.section.as_deref(), Some("windowing-patterns"));
    }
}
