//! Claims: every figure as a statement about something, with who says so.
//!
//! For each number, quantity or percentage the extractor decides:
//! - **measure**: the nearest cue word of `data/cues.toml` within the
//!   figure's clause (`قُتل نحو 77 شخصاً` → killed; `200 شخص آخرين أصيبوا` →
//!   injured); a counted noun that is itself a casualty word (`قتيلاً`,
//!   `جرحى`) decides first. A count of a force's people is its
//!   **strength** only when a strength cue governs it (`تضم 15000 جندي`,
//!   `البالغ عددها 12 ألفاً`, `بمشاركة 9 آلاف جندي`: at most a few words
//!   before or after it, nearer than any casualty cue), it is not a year,
//!   and, for members and staff, they belong to a force rather than to a
//!   council, party or company (`المجلس المكون من 15 عضواً`); a rate
//!   (`100 مقاتل جديد شهرياً`) is not one either. People
//!   counted in an act (`اعتقلت 150 جندياً`) are a plain count. A count of
//!   bases is `bases`, of attacks `attacks`, and a percentage next to a
//!   change verb is `percent_change`. Anything else is a plain `count`.
//! - **labels** are not figures: a bare number right after a unit, session,
//!   resolution or article noun (`اللواء 93`, `الدورة 45`, `القرار رقم
//!   2254`, `الدقيقة 90`; `[label]` in `data/cues.toml`) makes no claim.
//! - **subject** (whose figure): an owner and a class. The class comes from
//!   the counted noun (`جندي` → soldiers) or, when the number has none
//!   (`البالغ عددها 12 ألفاً`), from a person noun near it (`قوات حفظ السلام`):
//!   right before it or referred back to (`عددها`, `[class_link]`), or
//!   right after it (`عشرات الجنود`, `عدد من عناصر`); a vague
//!   amount takes only the noun after it (`عدة شوارع` counts streets), and
//!   a counted noun that is not a person (`2600 لغم`) is never replaced.
//!   The owner is, in order: a nationality adjective after the noun, before
//!   any `في` (`جنديًا ماليًا` → Mali; not `في وسط مالي`); an organization
//!   after `من`/`في` or in construct with the person noun (`عضو في
//!   مينوسما`, `من أعضاء حزب الله`); for a pronoun (`من عناصرها`) or a
//!   generic noun (`البعثة`, `قوات حفظ السلام`) the organization it refers
//!   to — the nearest force named earlier in the sentence, else the
//!   document's main force; a force named earlier in the sentence. Soldiers
//!   of the UN are peacekeepers, and so are a UN mission's members (the
//!   members of the Security Council are states). An indefinite force noun
//!   just before the figure (`قوة أفريقية قوامها 5000 جندي`, `قوة من
//!   الاتحاد الأفريقي`) introduces another force: the figure is the
//!   organization named after it, or no one's.
//! - **scope**: qualifiers that change what is counted (`في أعمال عدائية`, a
//!   place after `في`, a year after `في عام`) form the scope key;
//!   `منذ 2013` is kept in the scope for display but not in the key, because
//!   a cumulative total and an unqualified total count the same thing.
//! - **source**: the attribution covering the figure (`marsad-entities`),
//!   else the outlet.
//!
//! Only claims whose subject has a global identity (an organization or
//! country) get a `subject_id`; the others stay within their document. A
//! strength of the UN itself has none: the UN has a force per mission.
//!
//! This module reads tables and the document's analysis; it does no I/O
//! and never compares documents (that is `marsad-insight`).

use marsad_entities::EntityType;
use marsad_entities::gazetteer::{Gazetteer, Kind};
use marsad_figures::{Figure, FigureKind};
use marsad_text::{Token, TokenKind};

use crate::context::{ActorKind, Ctx};
use crate::lexicon::{OwnerKind, Tables};
use crate::{Claim, SourceRef};

/// Tokens of a clause around a position: the clause ends at `,`, `،`, `;`,
/// `:` or a sentence boundary.
pub(crate) fn clause_bounds(ctx: &Ctx<'_>, s: usize, ti: usize) -> (usize, usize) {
    let sp = ctx.text.sentences[s];
    let (lo, hi) = (sp.first_token as usize, sp.end_token as usize);
    let is_break = |t: &Token| {
        t.kind == TokenKind::Punct && matches!(ctx.text.norm(t), "," | ";" | ":" | "(" | ")")
    };
    let mut a = ti;
    while a > lo && !is_break(&ctx.text.tokens[a - 1]) {
        a -= 1;
    }
    let mut b = ti;
    while b < hi && !is_break(&ctx.text.tokens[b]) {
        b += 1;
    }
    (a, b)
}

/// The subject class of a figure's unit.
fn class_of_unit(unit: &str) -> Option<&'static str> {
    Some(match unit {
        "soldier" | "officer" | "troops" => "soldiers",
        "peacekeeper" => "peacekeepers",
        "police" => "police",
        "fighter" => "fighters",
        "civilian" => "civilians",
        "person" | "casualty" | "injured" => "people",
        "staff" => "staff",
        "member" => "members",
        "child" => "children",
        "woman" => "women",
        _ => return None,
    })
}

fn is_personnel(class: &str) -> bool {
    matches!(
        class,
        "soldiers" | "peacekeepers" | "police" | "fighters" | "members" | "staff"
    )
}

/// Build the claims of a document.
pub fn extract(ctx: &Ctx<'_>) -> Vec<Claim> {
    let t = Tables::get();
    let text = ctx.text;
    let toks = &text.tokens[..];
    let mut out = Vec::new();
    for (fi, f) in ctx.figures.iter().enumerate() {
        if !matches!(
            f.kind,
            FigureKind::Number | FigureKind::Quantity | FigureKind::Percent
        ) {
            continue;
        }
        let Some(s) = text.sentence_at(f.start) else {
            continue;
        };
        let ti = text.token_at_or_after(f.start);
        let mut te = ti;
        while te < toks.len() && (toks[te].end as usize) <= f.end {
            te += 1;
        }
        let (ca, cb) = clause_bounds(ctx, s, ti);
        let sp = text.sentences[s];
        let (sa, sb) = (sp.first_token as usize, sp.end_token as usize);
        if f.kind == FigureKind::Number && is_label(ctx, sa, ti) {
            continue;
        }

        let unit = f.unit.as_deref().unwrap_or("");
        // Class: from the unit, else a person noun nearby (prefer after).
        let mut class = class_of_unit(unit).map(str::to_string);
        let mut near_class: Option<(&str, usize)> = None;
        // A noun after the figure names who is counted only right after it
        // (`12 ألفاً من قوات حفظ السلام`, `عشرات الجنود`): further on it
        // qualifies what the figure's own noun counts (`6 كتائب عسكرية`).
        let after_end = if te < cb && text.base(&toks[te]) == "من" {
            te + 2
        } else {
            te + 1
        };
        // A vague amount (`عدة`, `آلاف`) is always followed by what it
        // counts (`عدة شوارع`, `آلاف المستوطنين`): a noun before it is not.
        let from = if f.value.is_none() {
            te
        } else {
            ca.max(ti.saturating_sub(6))
        };
        for i in from..cb.min(after_end) {
            if i >= ti && i < te {
                continue;
            }
            if let Some((n, c)) = t.classes.match_at(text, toks, i) {
                let d = if i < ti { ti - i } else { i - te + 1 };
                // A number without a counted noun is about a noun before it
                // only right after it (`عدد الجنود 500`) or through a word
                // that refers back to it (`قوات حفظ السلام البالغ عددها 12
                // ألفاً`); otherwise it counts something else (`الجيش رصد
                // وجود نحو 100 خبير`).
                if unit.is_empty()
                    && i < ti
                    && i + n < ti
                    && !(i + n..ti).any(|k| t.class_link.match_at(text, toks, k).is_some())
                {
                    continue;
                }
                // Peacekeeping beats a generic force noun at any distance.
                let better = match near_class {
                    None => true,
                    Some((pc, pd)) => pc != "peacekeepers" && (*c == "peacekeepers" || d < pd),
                };
                if better {
                    near_class = Some((c, d));
                }
            }
        }
        // A counted noun that is not a person (`2600 لغم`, `15 اتهاماً`)
        // keeps its own class: a force noun near it does not make it people.
        let counts_things = !unit.is_empty() && class.is_none();
        if !counts_things
            && (class.is_none()
                || (class.as_deref() == Some("soldiers")
                    && near_class.is_some_and(|(c, _)| c == "peacekeepers")))
            && let Some((c, _)) = near_class
        {
            class = Some(c.to_string());
        }
        if f.kind == FigureKind::Percent {
            class = None;
        }

        // Owner.
        let owner = owner_of(ctx, s, (sa, sb), (ti, te), class.as_deref());

        // Measure.
        let measure = measure_of(
            ctx,
            f,
            unit,
            class.as_deref(),
            owner.as_ref(),
            (ca, cb),
            (ti, te),
        );
        let class_label = class.clone().unwrap_or_else(|| match f.kind {
            FigureKind::Percent => "percent".into(),
            _ if !unit.is_empty() => unit.to_string(),
            _ => "count".into(),
        });
        let class_label = match (&owner, class_label.as_str()) {
            // A UN body's soldiers are peacekeepers; its members are
            // member states (`الأعضاء الـ15 في مجلس الأمن`), a mission's
            // members are its peacekeepers.
            (Some(Owner::Org(i)), "soldiers") if matches!(ctx.kinds[*i], ActorKind::Un { .. }) => {
                "peacekeepers".to_string()
            }
            (Some(Owner::Org(i)), "members")
                if matches!(ctx.kinds[*i], ActorKind::Un { mission: true }) =>
            {
                "peacekeepers".to_string()
            }
            _ => class_label,
        };
        let (subject, subject_id) = match &owner {
            Some(Owner::Org(i)) => {
                let e = &ctx.entities[*i];
                // The UN itself has many forces (one per mission): its
                // strength is not one quantity to compare across reports.
                let many =
                    measure == "strength" && ctx.kinds[*i] == (ActorKind::Un { mission: false });
                (
                    format!("{} — {}", e.canonical, class_label),
                    (!many).then(|| format!("{}/{}", e.id, class_label)),
                )
            }
            Some(Owner::Country(cc, name)) => (
                format!("{name} — {class_label}"),
                Some(format!("country:{cc}/{class_label}")),
            ),
            None => (class_label.clone(), None),
        };

        // Scope.
        let (scope, scope_key) = scope_of(ctx, (te, cb.max(te)), sb);

        let source: SourceRef = ctx.source_at(f.start, s);
        out.push(Claim {
            measure: measure.to_string(),
            subject,
            subject_id,
            scope,
            scope_key,
            value: f.value,
            low: f.low,
            high: f.high,
            approx: f.approx,
            figure: fi,
            start: f.start,
            end: f.end,
            sentence: s,
            source,
            event: None,
        });
    }
    out
}

fn measure_of(
    ctx: &Ctx<'_>,
    f: &Figure,
    unit: &str,
    class: Option<&str>,
    owner: Option<&Owner>,
    (ca, cb): (usize, usize),
    (ti, te): (usize, usize),
) -> &'static str {
    let t = Tables::get();
    let text = ctx.text;
    let toks = &text.tokens[..];
    match unit {
        "casualty" => return "killed",
        "injured" => return "injured",
        _ => {}
    }
    // Nearest measure cue in the clause, within 6 tokens; a strength cue
    // only within the words that let it govern the figure, and kept apart:
    // it decides only for a figure that can be a strength, so a presence
    // word (`وصول 17 جثة من قتلى`) never hides a casualty cue.
    let rules = &t.strength;
    let mut best: Option<(&'static str, usize)> = None;
    let mut strength_d: Option<usize> = None;
    for i in ca..cb {
        if i >= ti && i < te {
            continue;
        }
        let d = if i < ti { ti - i } else { i - te + 1 };
        if d > 6 {
            continue;
        }
        match t.measures.match_at(text, toks, i) {
            Some((n, &"strength")) => {
                let limit = if i < ti { rules.before } else { rules.after };
                let between = if i < ti { i + n..ti } else { te..i };
                let taken = between
                    .clone()
                    .any(|k| rules.not_between.match_at(text, toks, k).is_some());
                if d <= limit && !taken && strength_d.is_none_or(|sd| d < sd) {
                    strength_d = Some(d);
                }
            }
            Some((_, m)) if best.is_none_or(|(_, bd)| d < bd) => best = Some((m, d)),
            _ => {}
        }
    }
    // A strength: a cue governs the figure (`تضم 15000 جندي`, `البالغ
    // عددها 12 ألفاً`), nearer than any casualty cue, it counts a force's
    // people, and it is not a year. People counted in an act (`اعتقلت 150
    // جندياً`, `تصفع جنديين`) or things near a force noun are plain counts.
    let members_ok = match class {
        Some("members" | "staff") => {
            owner.is_some_and(|o| owns_members(ctx, o)) && !body_before(ctx, ti)
        }
        _ => true,
    };
    // A rate (`100 مقاتل جديد شهرياً`) is a flow, not a strength.
    let rate =
        (te..(te + rules.after + 1).min(cb)).any(|k| rules.rate.match_at(text, toks, k).is_some());
    if let Some(sd) = strength_d
        && !rate
        && best.is_none_or(|(_, bd)| sd < bd)
        && f.kind != FigureKind::Percent
        && class.is_some_and(is_personnel)
        && members_ok
        && !is_year(ctx, f, unit)
    {
        return "strength";
    }
    let cue = best.map(|(m, _)| m);
    if let Some(m @ ("killed" | "injured" | "arrested" | "abducted" | "displaced")) = cue {
        return m;
    }
    if f.kind == FigureKind::Percent {
        let changed = (ca..cb).any(|i| t.change.match_at(text, toks, i).is_some());
        return if changed { "percent_change" } else { "percent" };
    }
    match unit {
        "base" => return "bases",
        "attack" => return "attacks",
        _ => {}
    }
    "count"
}

/// Is the owner one whose members and staff are a force's people
/// (`member_owners` in `data/cues.toml`)?
fn owns_members(ctx: &Ctx<'_>, o: &Owner) -> bool {
    let Owner::Org(i) = o else {
        return false;
    };
    let kind = match ctx.kinds[*i] {
        ActorKind::Un { mission: true } => OwnerKind::UnMission,
        ActorKind::Military => OwnerKind::Military,
        ActorKind::ArmedGroup => OwnerKind::ArmedGroup,
        ActorKind::Mercenary => OwnerKind::Mercenary,
        _ => return false,
    };
    Tables::get().strength.member_owners.contains(&kind)
}

/// Is the last organization named before token `ti` in its sentence, or a
/// body noun (`المجلس`, `الشركة`, `data/cues.toml`) nearer to it than any
/// force, one whose members are not a force's people (`مجلس الشورى ...
/// يتألف من 111 عضواً`)? Then the members counted are that body's,
/// whatever force the sentence names.
fn body_before(ctx: &Ctx<'_>, ti: usize) -> bool {
    let text = ctx.text;
    let toks = &text.tokens[..];
    let Some(s) = toks
        .get(ti)
        .and_then(|t| text.sentence_at(t.start as usize))
    else {
        return false;
    };
    let sa = text.sentences[s].first_token as usize;
    // (token, is a body) of the nearest organization before the figure.
    let org = ctx
        .entities_in_sentence(s)
        .filter(|&i| ctx.entities[i].etype == EntityType::Org)
        .map(|i| (text.token_at_or_after(ctx.entities[i].start), i))
        .filter(|&(t, _)| t < ti)
        .max_by_key(|&(t, _)| t)
        .map(|(t, i)| (t, !owns_members(ctx, &Owner::Org(i))));
    let bodies = &Tables::get().strength.bodies;
    let noun = (sa..ti)
        .rev()
        .find(|&i| bodies.match_at(text, toks, i).is_some());
    match (org, noun) {
        (Some((t, body)), Some(n)) => body || n > t,
        (Some((_, body)), None) => body,
        (None, Some(_)) => true,
        (None, None) => false,
    }
}

/// A bare four-digit number in the year range of `data/cues.toml` (`2013`).
fn is_year(ctx: &Ctx<'_>, f: &Figure, unit: &str) -> bool {
    let digits = ctx.text.text.get(f.start..f.end).unwrap_or("").trim();
    f.kind == FigureKind::Number
        && unit.is_empty()
        && digits.chars().count() == 4
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || ('٠'..='٩').contains(&c))
        && f.value
            .is_some_and(|v| v.fract() == 0.0 && Tables::get().strength.years.contains(&(v as u32)))
}

/// Does a label noun (`اللواء`, `الدورة`, `القرار رقم`) end right before
/// token `ti`? Then the number there names something, it counts nothing.
fn is_label(ctx: &Ctx<'_>, sa: usize, ti: usize) -> bool {
    let text = ctx.text;
    let toks = &text.tokens[..];
    let labels = &Tables::get().label;
    (ti.saturating_sub(3).max(sa)..ti).any(|i| {
        labels
            .match_at(text, toks, i)
            .is_some_and(|(n, _)| i + n == ti)
    })
}

enum Owner {
    Org(usize),
    Country(String, String),
}

fn is_force(k: ActorKind) -> bool {
    matches!(
        k,
        ActorKind::Un { .. } | ActorKind::Military | ActorKind::ArmedGroup | ActorKind::Mercenary
    )
}

fn owner_of(
    ctx: &Ctx<'_>,
    s: usize,
    (sa, sb): (usize, usize),
    (ti, te): (usize, usize),
    class: Option<&str>,
) -> Option<Owner> {
    let text = ctx.text;
    let toks = &text.tokens[..];
    // 1. Nationality adjective right after the number/noun (within 3
    //    tokens), before any `في`: after it the word names a place (`عضو
    //    في وسط مالي`), the scope, not whose figure it is.
    if let Some(n) = (te..(te + 3).min(sb))
        .take_while(|&i| text.base(&toks[i]) != "في")
        .find_map(|i| ctx.nisba_at(i))
    {
        return Some(Owner::Country(n.country, n.country_name));
    }
    // 2. An organization within 4 tokens after the figure (`عضو في مينوسما`,
    //    `مقاتل من فاغنر`).
    let after_limit = te + 4;
    for i in ctx.entities_in_sentence(s) {
        let e = &ctx.entities[i];
        let eti = text.token_at_or_after(e.start);
        // Linked by a preposition, or the second term of a construct
        // after a person noun (`من أعضاء حزب الله`, `عناصر تنظيم القاعدة`).
        let linked = eti < toks.len()
            && (toks[eti].pro.has_preposition()
                || (eti > 0 && matches!(text.norm(&toks[eti - 1]), "من" | "في" | "("))
                || (eti > 0
                    && Tables::get()
                        .classes
                        .match_at(text, toks, eti - 1)
                        .is_some_and(|(n, _)| n == 1)));
        if eti >= te && eti <= after_limit && linked && matches!(ctx.kinds[i], k if is_force(k)) {
            return Some(mission_for_un(ctx, i));
        }
    }
    // 3. A pronoun (`عناصرها`) or generic noun (`البعثة`, `قوات حفظ السلام`)
    //    after the figure, or a personnel class without a name: the nearest
    //    force named earlier in the sentence, else the document's main force.
    // (The figure's own noun counts: `2000 من جنودها`.)
    let pronoun_after = (ti..(te + 3).min(sb)).any(|i| !toks[i].enc.as_str().is_empty());
    let generic =
        Tables::get().generic_force.any(text, &toks[sa..sb]) || class == Some("peacekeepers");
    let earlier_force = ctx
        .entities_in_sentence(s)
        .filter(|&i| is_force(ctx.kinds[i]) && text.token_at_or_after(ctx.entities[i].start) < ti)
        .max_by_key(|&i| {
            // Prefer specific missions over the UN itself, then the nearest.
            let specific = !matches!(ctx.kinds[i], ActorKind::Un { mission: false });
            (specific, ctx.entities[i].start)
        });
    // A pronoun refers to the nearest antecedent: a country named after
    // the last force (`أرسلت الولايات المتحدة 800 من قواتها`) owns it.
    if pronoun_after
        && let Some((cstart, cc, name)) = ctx
            .entities_in_sentence(s)
            .filter(|&i| text.token_at_or_after(ctx.entities[i].start) < ti)
            .filter_map(|i| country_of(ctx, i).map(|(cc, n)| (ctx.entities[i].start, cc, n)))
            .max_by_key(|(start, _, _)| *start)
        && earlier_force.is_none_or(|i| ctx.entities[i].start < cstart)
    {
        return Some(Owner::Country(cc, name));
    }
    // An indefinite force noun shortly before the figure introduces a
    // force of its own (`لقتال قوة أفريقية قوامها 5000 جندي`): the figure
    // is that force's, named after it (`قوة من الاتحاد الأفريقي`), or no
    // one's — not a force named earlier nor the document's. Right after a
    // force's name it is that force's (`نشرت الأمم المتحدة قوة حفظ سلام`);
    // in construct it is definite (`قوات حفظ السلام`).
    if let Some(k) = new_force_before(ctx, s, sa, ti) {
        return ctx
            .entities_in_sentence(s)
            .find(|&j| {
                let tj = text.token_at_or_after(ctx.entities[j].start);
                tj > k && tj <= k + 2 && ctx.entities[j].etype == EntityType::Org
            })
            .map(Owner::Org);
    }
    if let Some(i) = earlier_force
        && (pronoun_after || generic || class.is_some_and(is_personnel))
    {
        return Some(mission_for_un(ctx, i));
    }
    if (pronoun_after || generic || class == Some("peacekeepers"))
        && let Some(m) = ctx.main_force
    {
        // `قوات حفظ السلام` only refers to a UN force.
        if class != Some("peacekeepers") || matches!(ctx.kinds[m], ActorKind::Un { .. }) {
            return Some(Owner::Org(m));
        }
    }
    // 4. Personnel with no owner in the sentence: the document's main force,
    //    when it is a UN mission (reports about a mission count its staff).
    if class.is_some_and(|c| matches!(c, "soldiers" | "police" | "peacekeepers" | "staff"))
        && let Some(m) = ctx.main_force
        && matches!(ctx.kinds[m], ActorKind::Un { mission: true })
    {
        return Some(Owner::Org(m));
    }
    None
}

/// The token of an indefinite force noun (`[strength] new_force`) among
/// the eight words before token `ti`, if one introduces a new force: not
/// right after an entity's name, and not in construct with a definite noun
/// (`قوات حفظ السلام`) unless `من` follows it (`قوة من الاتحاد الأفريقي`).
fn new_force_before(ctx: &Ctx<'_>, s: usize, sa: usize, ti: usize) -> Option<usize> {
    let text = ctx.text;
    let toks = &text.tokens[..];
    let t = Tables::get();
    let definite = |k: usize| toks.get(k).is_some_and(|x| x.pro.has_article());
    (ti.saturating_sub(8).max(sa)..ti).rev().find(|&k| {
        if t.strength.new_force.match_at(text, toks, k).is_none() || definite(k) {
            return false;
        }
        let after_name = ctx
            .entities_in_sentence(s)
            .any(|j| text.token_at_or_after(ctx.entities[j].end) == k);
        let by_min = toks.get(k + 1).is_some_and(|x| text.base(x) == "من");
        !after_name && (by_min || !(definite(k + 1) || definite(k + 2)))
    })
}

/// The ISO code and name of entity `i` when it is a country.
fn country_of(ctx: &Ctx<'_>, i: usize) -> Option<(String, String)> {
    let e = &ctx.entities[i];
    let g = Gazetteer::get().by_id(&e.id)?;
    if g.kind != Kind::Country {
        return None;
    }
    Some((g.country.clone()?, e.canonical.clone()))
}

/// In a document about one UN mission, "the UN's" peacekeepers and staff
/// are that mission's: the UN itself is replaced by the main force when the
/// main force is a UN mission.
fn mission_for_un(ctx: &Ctx<'_>, i: usize) -> Owner {
    if ctx.kinds[i] == (ActorKind::Un { mission: false })
        && let Some(m) = ctx.main_force
        && ctx.kinds[m] == (ActorKind::Un { mission: true })
    {
        return Owner::Org(m);
    }
    Owner::Org(i)
}

fn scope_of(ctx: &Ctx<'_>, (from, to): (usize, usize), sb: usize) -> (Vec<String>, String) {
    let t = Tables::get();
    let text = ctx.text;
    let toks = &text.tokens[..];
    let end = (to + 8).min(sb);
    let mut scope = Vec::new();
    let mut key = Vec::new();
    let mut i = from;
    while i < end {
        if let Some((n, label)) = t.scopes.match_at(text, toks, i) {
            scope.push(label.to_string());
            key.push(label.to_string());
            i += n;
            continue;
        }
        let b = text.base(&toks[i]);
        // `منذ <date>`: cumulative, display only.
        if b == "منذ"
            && let Some(d) = date_at_or_after(ctx, i + 1, (i + 6).min(sb))
        {
            scope.push(format!("since {d}"));
        }
        // `في <place>` right after the figure's noun phrase.
        if (b == "في" || toks[i].pro.has_preposition()) && i <= from + 6 {
            let start = toks[i].start as usize;
            if let Some(e) = ctx.entities.iter().find(|e| {
                e.start >= start
                    && e.start <= toks[(i + 1).min(toks.len() - 1)].end as usize
                    && e.place.is_some()
            }) {
                let l = format!("in {}", e.canonical);
                scope.push(l.clone());
                key.push(l);
            }
        }
        // `في عام 2023`: a year that bounds the count (not when it dates the
        // start of a `منذ` span: `منذ بدء العمليات في عام 2013`).
        if b == "في"
            && !(from..i).any(|k| text.base(&toks[k]) == "منذ")
            && i + 1 < end
            && matches!(text.base(&toks[i + 1]), "عام" | "العام" | "سنه")
            && let Some(d) = date_at_or_after(ctx, i + 1, (i + 3).min(sb))
        {
            let l = format!("in {d}");
            scope.push(l.clone());
            key.push(l);
        }
        i += 1;
    }
    key.sort();
    key.dedup();
    scope.dedup();
    (scope, key.join("; "))
}

/// Value of a date figure starting within tokens `a..b`.
fn date_at_or_after(ctx: &Ctx<'_>, a: usize, b: usize) -> Option<String> {
    let toks = &ctx.text.tokens;
    if a >= b || b > toks.len() {
        return None;
    }
    let (lo, hi) = (toks[a].start as usize, toks[b - 1].end as usize);
    ctx.figures
        .iter()
        .find(|f| f.kind == FigureKind::Date && f.start >= lo && f.start < hi)
        .and_then(|f| f.date.as_ref())
        .and_then(|d| d.value.clone().or_else(|| d.from.clone()))
}
