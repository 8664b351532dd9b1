"""Tests for ``kg.load.stance``: each cue on sentences of real articles (the seed excerpt and
the development gold's texts), and the stance a claim's citations get from them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from kg.checks.evaluate import development_golds, tei_to_text
from kg.load import stance as stance_module
from kg.load.citations import find_citations
from kg.load.claims import extract_claims
from kg.load.stance import CaseBlind, Stance, StanceCue, StanceGuess, classify_stance, stance_cues

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "gold"
TEI = ROOT.parent / "shared" / "corpora" / "grobid-callouts" / "corpus_tei"


def guess(sentence: str, cited: str, *, lead: str = "", narrative: bool = False, after: str = ""):
    """The stance toward ``cited`` (a part of ``sentence``, blanked as the extractor does)."""
    start = sentence.index(cited)
    end = start + len(cited)
    blank = sentence[:start] + " " * len(cited) + sentence[end:]
    return classify_stance(blank, start, end, lead=lead, narrative=narrative, next_sentence=after)


@pytest.mark.parametrize(
    ("sentence", "cited", "lead", "narrative", "stance", "cue"),
    [
        # evidence: "supported by", "In support of", "found", "has been shown"
        ("Mentors reported that giving back was a strong benefit of the programme, which is"
         " supported by Webster (2013).", "Webster (2013)", "", True, Stance.SUPPORTS,
         "supported by"),
        ("In support of this, Buck (2017) documents how peer mentors internalise failure.",
         "Buck (2017)", "", True, Stance.SUPPORTS, "In support of"),
        ("Several studies found that attention paid to models is linked to success in acquiring"
         " behaviors (Lonsdorf, 2005).", "(Lonsdorf, 2005)", "", False,
         Stance.CITES_AS_EVIDENCE, "found"),
        # "studies" names works, it does not say what they show: a replication of them is
        # a mention
        ("Our study can be considered a large replication of several previous studies (Bakker &"
         " Wicherts, 2011; Berle & Starcevic, 2007).", "Bakker & Wicherts, 2011", "", False,
         Stance.CITES, "considered"),
        # mentions: a definition, a theory, a term coined, software, a method, a review
        ("The terms are defined as ex-offenders 'working with people who are not in authority"
         " over us' (United Nations Office on Drugs and Crime, 2003: 8).",
         "(United Nations Office on Drugs and Crime, 2003: 8)", "", False,
         Stance.USES_CONCEPTUAL_FRAMEWORK_OF, "defined as"),
        ("This article will demonstrate application of Giordano et al.'s (2002) theory to peer"
         " work and desistance.", "Giordano et al.'s (2002)", "", True,
         Stance.USES_CONCEPTUAL_FRAMEWORK_OF, "theory"),
        ("These experiences enhance their skills, an ontogenetic process that has been named"
         " 'enculturation' (Call and Tomasello, 1996).", "(Call and Tomasello, 1996)", "", False,
         Stance.USES_CONCEPTUAL_FRAMEWORK_OF, "has been named"),
        ("All plots were created using the R packages ggplot2 (Wickham, 2016).",
         "(Wickham, 2016)", "", False, Stance.USES_METHOD_IN, "packages"),
        ("We applied the Kaiser-Guttman criterion (Jackson, 1993) to select the components.",
         "(Jackson, 1993)", "", False, Stance.USES_METHOD_IN, "applied"),
        ("Notwithstanding the many debates on the downsides of NHST (see e.g., Fidler & Cumming,"
         " 2005; Wagenmakers, 2007), the use of NHST in psychology appears to have increased.",
         "Fidler & Cumming, 2005", "see e.g., ", False, Stance.CITES_FOR_INFORMATION,
         "see e.g"),
        ("In all three variables the wolves and dogs differed (for further details see Range and"
         " Viranyi, 2014).", "Range and Viranyi, 2014", "for further details see ", False,
         Stance.OBTAINS_BACKGROUND_FROM, "for further details see"),
        # a position described: "argue", "it has been suggested"
        ("Hucklesby and Wincup (2014: 1) argue that mentoring departs from its principles.",
         "Hucklesby and Wincup (2014: 1)", "", True, Stance.CITES, "argue"),
        ("Accordingly, it has been suggested that domestication has equipped dogs with two"
         " abilities necessary for cooperative problem solving (Ostojic and Clayton, 2014).",
         "(Ostojic and Clayton, 2014)", "", False, Stance.CITES, "it has been"),
        # disputes: "but see", "in contrast to", a limitation, a position then criticised
        ("Group hunting in free-ranging dogs is rare (but see Manor and Saltz, 2004).",
         "Manor and Saltz, 2004", "but see ", False, Stance.DISPUTES, "but see"),
        ("This is in contrast to (Batnasan, 1978) who proposed a classification by distance.",
         "(Batnasan, 1978)", "", False, Stance.DISPUTES, "in contrast to"),
        ("An additional issue with existing literature is that most of the studies date back to"
         " Soviet times (Batnasan, 1978).", "(Batnasan, 1978)", "", False, Stance.CRITIQUES,
         "issue with"),
        # relying on findings is a limitation of a work; an animal relying on others is none
        ("Importantly, however, all of the domestication hypotheses addressing the social skills"
         " of dogs and wolves rely on findings of experimental studies that compared the"
         " animals' interactions only with humans (Hare et al., 2002; Miklosi et al., 2003).",
         "Hare et al., 2002", "", False, Stance.CRITIQUES, "rely on findings"),
        ("Wolves are cooperative breeders that rely on supporting each other not just when"
         " raising pups, but also in territorial defense (Mech, 1970; Mech and Boitani, 2003).",
         "Mech, 1970", "", False, Stance.CITES_AS_EVIDENCE, ""),
        # what a work reported on is its subject, what it reported its evidence
        ("Jagvaral (1975) and Batnasan (1978) reported on movement patterns of Mongolian nomads"
         " during the Soviet time.", "Batnasan (1978)", "", True, Stance.CITES, "reported on"),
        # a failing found is the work's finding, not its failing
        ("Mothers from the eastern Atlantic have been shown to fail to recognise their own pups"
         " (McCulloch et al. 1999; McCulloch and Boness 2000).", "McCulloch et al. 1999", "",
         False, Stance.CITES_AS_EVIDENCE, "fail to"),
        ("For example, Murphy (2011) bases his study on a sample of four households.",
         "Murphy (2011)", "", True, Stance.CRITIQUES,
         "next sentence: There is no"),
    ],
)  # fmt: skip
def test_each_cue_gives_its_stance(sentence, cited, lead, narrative, stance, cue):
    after = (
        "There is no study analyzing movement patterns based on detailed location data."
        if cue.startswith("next sentence")
        else ""
    )
    found = guess(sentence, cited, lead=lead, narrative=narrative, after=after)
    assert (found.stance, found.cue) == (stance, cue)
    assert 0 < found.confidence <= 0.97


def test_where_the_citation_sits_decides_when_no_cue_speaks():
    statement = guess("Mongolian grasslands form the largest grazing area (Upton, 2005).",
                      "(Upton, 2005)")  # fmt: skip
    named = guess("Marin (2008) points to the costs of moving.", "Marin (2008)", narrative=True)
    assert (statement.stance, statement.cue) == (Stance.CITES_AS_EVIDENCE, "")
    assert (named.stance.polarity, named.cue) == ("mentions", "")


def test_a_contrast_after_the_citation_is_not_aimed_at_it():
    found = guess(
        "Living with humans has shaped dog behavior (Topal et al., 2009); however, living in"
        " groups has also always been part of the life of dogs.",
        "(Topal et al., 2009)",
    )
    assert found.stance.polarity == "supports"


def test_a_list_splits_its_stances_at_but_see():
    text = (
        "Consequently, dogs do not seem to be as cooperative as wolves with conspecifics, which"
        " has also been observed in captive settings (e.g., Feddersen-Petersen, 2007; but see"
        " Ostojic and Clayton, 2014).\n"
    )
    (claim,) = extract_claims(text, find_citations(text), (), source="t.txt", citing="x")
    assert [g.stance.polarity for _, g in claim.guesses] == ["supports", "disputes"]


def test_every_citation_of_a_real_article_gets_a_stance_and_a_confidence():
    text = (GOLD / "teickner2020" / "text.txt").read_text(encoding="utf-8")
    mentions = find_citations(text)
    claims = extract_claims(text, mentions, (), source="text.txt", citing="x")
    guesses = [g for c in claims for _, g in c.guesses]
    assert len(guesses) == sum(len(m.refs) for m in mentions)
    assert {g.stance.polarity for g in guesses} == {"supports", "mentions", "disputes"}
    assert all(0 < g.confidence <= 0.97 for g in guesses)


def test_the_guess_is_the_polarity_its_cues_weigh_most_on_a_real_article():
    # stance_cues is what classify_stance sums (benchmarks/stance_heldout.py learns from it)
    text = (GOLD / "nuijten2016" / "text.txt").read_text(encoding="utf-8")
    claims = extract_claims(text, find_citations(text), (), source="text.txt", citing="x")
    wheres = set()
    for claim in claims:
        plain = " ".join(claim.exact.split()) if "\n" in claim.exact else claim.exact
        for mention in claim.mentions:
            ref = mention.refs[0]
            start, end = ref.start - claim.start, ref.end - claim.start
            narrative = mention.kind.startswith("narrative")
            cues = stance_cues(plain, start, end, narrative=narrative)
            weights = {p: sum(c.weight for c in cues if c.stance.polarity == p)
                       for p in ("supports", "mentions", "disputes")}  # fmt: skip
            top = max(weights, key=lambda p: (weights[p], p == "mentions"))
            found = classify_stance(plain, start, end, narrative=narrative)
            assert found.stance.polarity == top
            assert found.confidence == round(min(0.97, weights[top] / sum(weights.values())), 2)
            assert cues[0].where == ""
            wheres |= {c.where for c in cues}
    assert {"", "clause", "sentence", "turn"} <= wheres


def test_a_word_broken_at_a_line_end_is_read_whole():
    seed = (ROOT / "bib" / "nixon2020-excerpt.txt").read_text(encoding="utf-8")
    start = seed.index("Mentors reported that the opportunity")
    sentence = " ".join(seed[start : seed.index("(2013).", start) + 7].split())
    assert "is sup- ported by" in sentence
    found = guess(sentence, "Webster (2013)", narrative=True)
    assert (found.stance, found.cue) == (Stance.SUPPORTS, "supported by")


def test_a_criticism_in_the_passive_is_evidenced_by_its_citations_not_aimed_at_them():
    seed = (ROOT / "bib" / "nixon2020-excerpt.txt").read_text(encoding="utf-8")
    start = seed.index("because peer mentoring has reciprocal")
    sentence = " ".join(seed[start : seed.index("2014).", start) + 6].split())
    cited = sentence[sentence.index("(Buck") :]
    found = guess(sentence, cited)
    assert (found.stance, found.cue) == (Stance.CITES_AS_EVIDENCE, "overlooked")
    # the same criticism made of a work named in the text, or in the active, disputes it
    named = guess("Buck (2014) has overlooked the reciprocal benefits.", "Buck (2014)",
                  narrative=True)  # fmt: skip
    active = guess("Studies overlooked the reciprocal benefits (Buck, 2014).", "(Buck, 2014)")
    assert named.stance.polarity == active.stance.polarity == "disputes"


def _teickner(start: str, end: str) -> str:
    text = (GOLD / "teickner2020" / "text.txt").read_text(encoding="utf-8")
    at = text.index(start)
    return " ".join(text[at : text.index(end, at) + len(end)].split())


def test_a_contrast_with_the_authors_own_results_disputes_the_work_found_before_it():
    sentence = _teickner("Jagvaral (1975) found that", "14 campsite locations.")
    found = guess(sentence, "Jagvaral (1975)", narrative=True)
    assert (found.stance, found.cue) == (Stance.DISPUTES, "whereas we")
    # a contrast with another work's results is not one with the authors' own
    other = guess(sentence.replace("whereas we", "whereas Batnasan"), "Jagvaral (1975)",
                  narrative=True)  # fmt: skip
    assert other.stance.polarity != "disputes"


def test_a_judgement_with_an_impersonal_it_is_evidenced_by_its_citations():
    sentence = _teickner("Due to post-soviet changes", "Marin, 2008).")
    found = guess(sentence, "(Fernández-Giménez, 2006; Marin, 2008)")
    assert (found.stance, found.cue) == (Stance.CITES_AS_EVIDENCE, "is unlikely")
    aimed = guess("Its findings are unlikely to hold (Murphy, 2011).", "(Murphy, 2011)")
    assert aimed.stance.polarity == "disputes"


def _nuijten(start: str, end: str) -> str:
    text = " ".join((GOLD / "nuijten2016" / "text.txt").read_text(encoding="utf-8").split())
    at = text.index(start)
    return text[at : text.index(end, at) + len(end)]


@pytest.mark.parametrize(
    ("start", "end", "cited", "stance", "cue"),
    [
        # a contrast governing the phrase the citation closes, whatever that phrase says
        ("Overall, it seems that, contrary", "time.", "(Fanelli, 2012; Leggett et al., 2013)",
         Stance.DISPUTES, "contrary to"),
        # a cue of support negated
        ("Hence our findings are not in line", "2013).", "(Leggett et al., 2013)",
         Stance.DISPUTES, "not in line with"),
        # a critique named with what it is of: the cited works are the critics
        ("Considering that the ubiquitous", "below .05.",
         "(see e.g., Cohen, 1994; Fidler & Cumming, 2005; Krueger, 2001; Rozeboom, 1960;"
         " Wagenmakers, 2007)", Stance.CITES_AS_EVIDENCE, "reported"),
    ],
)  # fmt: skip
def test_contrast_negation_and_critique_of_on_a_held_out_article(start, end, cited, stance, cue):
    found = guess(_nuijten(start, end), cited)
    assert (found.stance, found.cue) == (stance, cue)


def test_an_objection_answered_in_the_next_sentence_disputes_it():
    sentence = _nuijten("One objection that has been raised", "2015).")
    after = _nuijten("Even though this can be", "2012).")
    found = guess(sentence, "(see e.g., Finkel, Eastwick, & Reis, 2015)", after=after)
    assert (found.stance, found.cue) == (Stance.CRITIQUES, "next sentence: Even though")
    assert guess(sentence, "(see e.g., Finkel, Eastwick, & Reis, 2015)").stance.polarity != (
        "disputes"
    )


def _gold_sentence(name: str, start: str, end: str) -> str:
    path = GOLD / name / "text.txt"
    if not path.is_file():
        development_golds()  # a gold made from ../shared writes its text.txt there
    if not path.is_file():
        pytest.skip(f"{name}'s text.txt is made from ../shared, not beside this clone")
    text = " ".join(path.read_text(encoding="utf-8").split())
    at = text.index(start)
    return text[at : text.index(end, at) + len(end)]


def test_a_thing_named_after_such_as_is_cited_for_information_unless_it_is_studies():
    tests = _gold_sentence("nuijten2016", "Incorrect p-values could affect", "2014).")
    first = "(Simonsohn, Nelson, & Simmons, 2014)"
    found = guess(tests, first)
    assert (found.stance, found.cue) == (Stance.CITES_FOR_INFORMATION, "such as")
    # the next thing of the list, the first citation blanked as the extractor blanks it
    found = guess(tests.replace(first, " " * len(first)), "(Van Assen, Van Aert, & Wicherts,")
    assert (found.stance, found.cue) == (Stance.CITES_FOR_INFORMATION, "such as")
    sharing = _gold_sentence("robinson2015", "It is also possible that elevation", "1980).")
    assert guess(sharing, "(Wittig et al. 2014)").stance is Stance.CITES_FOR_INFORMATION
    # experiments named as the examples are the evidence of the claim
    studies = _gold_sentence("range2015", "Dogs have proven successful", "2009)")
    assert guess(studies, "Topál et al., 2006").stance.polarity == "supports"
    assert guess(studies, "Topál et al., 2006").cue != "such as"


def test_see_also_in_the_brackets_outweighs_the_evidence_a_bracket_is_taken_for():
    sentence = _gold_sentence("range2015", "On the other hand, having to interact", "2009).")
    found = guess(sentence, "Miklósi et al., 2004", lead="see also ")
    assert (found.stance, found.cue) == (Stance.CITES, "see also")
    # an evidence word in the clause still wins over "see"
    assert guess("Dogs were found to follow gaze (see Smith, 2010).", "Smith, 2010",
                 lead="see ").stance.polarity == "supports"  # fmt: skip


@pytest.mark.parametrize(
    ("gold", "starts", "ends", "cited", "stance", "cue"),
    [
        pytest.param("teickner2020", "A subset of the clusters provided", "2018).",
                     "(Maechler et al., 2018)", Stance.USES_METHOD_IN, "applying",
                     id="a method named by its verb in -ing is used"),
        pytest.param("pearson2019", "The priority map concept has also", "2016).",
                     "(Awh et al., 2012; Failing & Theeuwes, 2018)",
                     Stance.USES_CONCEPTUAL_FRAMEWORK_OF, "concept",
                     id="a concept used to explain is a framework, not evidence"),
    ],
)  # fmt: skip
def test_a_gold_sentence_cites_for_what_its_cue_says(
    gold: str, starts: str, ends: str, cited: str, stance: Stance, cue: str
) -> None:
    found = guess(_gold_sentence(gold, starts, ends), cited)
    assert (found.stance, found.cue) == (stance, cue)


def test_a_release_is_software_only_with_its_version():
    oxytocin = _gold_sentence("robinson2015", "Oxytocin release can occur", "2009).")
    assert guess(oxytocin, "(Neumann and Landgraf 2012)").stance is Stance.CITES_AS_EVIDENCE
    found = guess("The code is archived as release v1.0.0 (Marwick, 2019).", "(Marwick, 2019)")
    assert (found.stance, found.cue) == (Stance.USES_METHOD_IN, "release v1")


def test_a_citation_sharing_its_brackets_reads_the_words_before_it_there():
    text = (GOLD / "robinson2015" / "text.txt").read_text(encoding="utf-8")
    claims = extract_claims(text, find_citations(text), (), source="text.txt", citing="x")
    (claim,) = [c for c in claims if "30 min of interaction" in c.text]
    (mention,) = [m for m in claim.mentions if "Nagasawa" in m.surface]
    assert mention.kind == "bare"
    guess = dict(claim.guesses)[mention.refs[0].start]
    assert (guess.stance, guess.cue) == (Stance.CITES_FOR_INFORMATION, "e.g")


def test_a_term_named_in_the_brackets_cites_its_source_not_evidence():
    mode = _gold_sentence("pearson2019", "In Gaspelin et al.’s Experiment 1", "current study).")
    bracket = "(i.e., singleton-search mode; Bacon & Egeth, 1994)"
    found = guess(mode, bracket, lead="(i.e., singleton-search mode; ")
    assert (found.stance, found.cue) == (
        Stance.USES_CONCEPTUAL_FRAMEWORK_OF,
        "i.e., singleton-search mode;",
    )
    # a gloss the brackets go on to give sources for, after "see", is not a term's source
    gloss = _gold_sentence("pearson2019", "Evidence supporting the signal", "2015).")
    bracket = "(i.e., eye-movements: see Gaspelin & Luck, 2018a; Gaspelin, Leonard, & Luck, 2017;"
    found = guess(gloss, bracket, lead="i.e., eye-movements: see ")
    assert found.stance.polarity == "supports"
    # a finding the authors state outweighs the term it names
    observed = _gold_sentence("pearson2019", "Furthermore, we observed an effect", "delivered.")
    bracket = "(i.e., VMAC; Le Pelley et al., 2015; Pearson et al., 2015)"
    assert guess(observed, bracket, lead="(i.e., VMAC; ").stance.polarity == "supports"


def test_a_method_or_idea_named_just_before_or_after_the_citation_cites_its_source():
    task = _gold_sentence("pearson2019", "For example, across two experiments", "movements.")
    found = guess(task, "(Theeuwes, 1991, 1992)")
    assert (found.stance, found.cue) == (Stance.USES_METHOD_IN, "task")
    accounts = _gold_sentence("pearson2019", "Under these conditions, both", "distractor.")
    blank = accounts.replace("(Bacon & Egeth, 1994)", " " * len("(Bacon & Egeth, 1994)"))
    found = guess(blank, "(Theeuwes, 1992)")
    assert (found.stance, found.cue) == (Stance.USES_CONCEPTUAL_FRAMEWORK_OF, "accounts")
    # agreeing with an idea is still agreement
    in_line = _gold_sentence("pearson2019", "In line with the signal suppression", "attention.")
    assert guess(in_line, "(Gaspelin et al., 2015, 2017)").stance is Stance.SUPPORTS


def test_a_critique_word_in_a_hyphenated_compound_is_an_adjective():
    modes = _gold_sentence("pearson2019", "This suggests that there may be", "2018a).")
    assert guess(modes, "(Gaspelin & Luck, 2018a)").stance.polarity == "supports"
    assert guess("The model ignores context (Smith, 2010).", "(Smith, 2010)").stance.polarity == (
        "disputes"
    )


def test_what_research_suggests_is_so_is_a_finding_what_it_suggests_is_a_position():
    develops = _gold_sentence("pearson2019", "Recent research suggests that", "2012).")
    found = guess(develops, "(Gaspelin & Luck, 2018a; Vatterott & Vecera, 2012)")
    assert (found.stance, found.cue) == (Stance.CITES_AS_EVIDENCE, "research suggests that")
    proposed = _gold_sentence("pearson2019", "Previous research has suggested several", "1994),")
    assert guess(proposed, "(Bacon & Egeth, 1994)").stance.polarity == "mentions"


def test_indicating_is_a_verb_of_evidence_an_indicator_or_positive_is_no_cue():
    indicator = _gold_sentence("robinson2015", "However, in our study, individuals", "2004).")
    found = guess(indicator, "(Bielsky and Young 2004)")
    assert found.stance.polarity == "supports"
    assert found.cue not in ("positive", "indicator")
    indicative = _gold_sentence("nuijten2016", "If gross inconsistencies are", "2013).")
    assert guess(indicative, "Leggett et al., 2013", lead="see also ").stance is Stance.CITES
    assert guess("Scores indicated a decline (Smith, 2010).", "(Smith, 2010)").cue == "indicated"


def test_others_results_set_against_the_authors_own_are_disputed():
    between = _gold_sentence("pearson2019", "An inconsistency between the results", "observed.")
    found = guess(between, "Gaspelin et al. (2017)", narrative=True)
    assert (found.stance, found.cue) == (Stance.DISPUTES, "inconsistency between")
    # a text about inconsistencies compares its own figures with others' without disputing them
    figures = _gold_sentence(
        "nuijten2016", "The percentage of gross inconsistencies ranged", "study)."
    )
    assert guess(figures, "(Garcia-Berthou & Alcaraz, 2004)").stance.polarity == "supports"
    idea = _gold_sentence("pearson2019", "Consistent with this idea, Gaspelin", "latencies.")
    after = _gold_sentence("pearson2019", "By contrast, in the current", "slower saccades.")
    found = guess(idea, "Gaspelin et al. (2017)", narrative=True, after=after)
    assert (found.stance, found.cue) == (Stance.DISPUTES, "next sentence: By contrast")
    # "However" opening the next sentence often goes on with the same finding: no cue here
    same = "However, in the current experiment we observed the same."
    found = guess(idea, "Gaspelin et al. (2017)", narrative=True, after=same)
    assert found.stance.polarity == "supports"


def test_a_work_compared_with_the_authors_own_results_before_it_is_disputed_or_agreed_with():
    # agri2024: a comparative whose other side is the authors' own, or whose subject is
    lower = _gold_sentence("agri2024", "lower than the present results, plant", "2019).")
    found = guess(lower, "(Friehiwot et al., 2019)")
    assert (found.stance, found.cue) == (Stance.DISPUTES, "lower than the present results")
    higher = _gold_sentence("agri2024", "the number of seeds per pod in the present", "region.")
    found = guess(higher, "Teklay et al. (2015)", narrative=True)
    assert (found.stance, found.cue) == (
        Stance.DISPUTES, "the present study was relatively higher than")  # fmt: skip
    revealed = _gold_sentence("agri2024", "lower than that in the current study", "varieties.")
    assert guess(revealed, "Vojislav et al. (2008)", narrative=True).stance is Stance.DISPUTES
    # lofar2015: the authors agree with the work, though its arguments are named
    agree = _gold_sentence("lofar2015", "While the use of a 10σ detection", "transient source.")
    found = guess(agree, "Metzger et al. (2015)", narrative=True)
    assert (found.stance, found.cue) == (Stance.SUPPORTS, "we agree with")
    # nuijten2016: a likeness negated is a contrast
    negated = _gold_sentence("nuijten2016", "Hence our findings are not in line", "2013).")
    cues = _cues_blanked(negated, "(Leggett et al., 2013)")
    assert ("disputes", "not in line with", "own work") in [
        (c.stance.polarity, c.words, c.where) for c in cues
    ]


def test_no_comparison_with_the_authors_own_results_is_read_where_there_is_none():
    # nuijten2016: the authors' own figure compared after the works, with what the sentence
    # makes of them (their median); the works are its evidence
    figures = _gold_sentence(
        "nuijten2016", "The percentage of gross inconsistencies ranged", "study)."
    )
    for cited in ("(Garcia-Berthou & Alcaraz, 2004)", "(Caperos & Pardo, 2013)"):
        assert "own work" not in [c.where for c in _cues_blanked(figures, cited)]
        assert guess(figures, cited).stance.polarity == "supports"
    # nuijten2016: the authors' study named as a replication compares no results
    replication = _gold_sentence("nuijten2016", "Our study can be considered a large", "2011).")
    found = guess(replication, "Bakker & Wicherts, 2011;", lead="(")
    assert found.stance.polarity == "mentions"
    # agri2024: the authors' results compared in the sentence after the work's, with another
    fikadu = _gold_sentence("agri2024", "Fikadu (2021) recorded grain yield", "varieties.")
    cues = _cues_blanked(fikadu, "Fikadu (2021)", narrative=True)
    assert "own work" not in [c.where for c in cues]
    # cocreation2024: a comparative with a threshold, not with the authors' own results
    threshold = _gold_sentence("cocreation2024", "the results showed scores higher", "table 5).")
    assert "own work" not in [c.where for c in _cues_blanked(threshold, "Bagozzi and Yi (1988)")]


def test_what_a_work_set_out_to_do_or_predicted_is_a_mention_what_it_found_is_evidence():
    tried = _gold_sentence("teickner2020", "Qualitative studies often tried", "1934).")
    found = guess(tried, "(Batnasan, 1978; Ganbold, 2015; Jagvaral, 1975; Simukov, 1934;")
    assert (found.stance, found.cue) == (Stance.CITES, "tried to")
    evaluated = _gold_sentence("nuijten2016", "Furthermore, two studies evaluated", "psychology.")
    assert guess(evaluated, "(Garcia-Berthou & Alcaraz, 2004)").stance is Stance.CITES
    predict = _gold_sentence("robinson2015", "Prior to this work, studies have", "2005).")
    assert guess(predict, "(Pomeroy et al. 2000; Redman et al. 2001)").cue == "predict"
    # what the work found outweighs what it set out to do
    found = guess(
        "Smith examined attention and found that it fades (Smith, 2010).", "(Smith, 2010)"
    )
    assert found.stance is Stance.CITES_AS_EVIDENCE


def test_according_to_a_source_opens_its_clause_after_a_word_it_is_a_measure():
    varies = _gold_sentence("range2015", "Attentiveness toward potential partners", "2013).")
    found = guess(varies, "(Range and Huber, 2007; Scheid et al., 2007; Horn et al., 2013)")
    assert found.stance.polarity == "supports"
    hypothesis = _gold_sentence("pearson2019", "According to the signal suppression", "2019).")
    found = guess(hypothesis, "(Gaspelin & Luck, 2019)")
    assert (found.stance, found.cue) == (Stance.USES_CONCEPTUAL_FRAMEWORK_OF, "According to")


def test_a_difference_described_takes_no_side():
    design = _gold_sentence("pearson2019", "This aspect of our design differs", "(2017).")
    assert guess(design, "Gaspelin et al. (2017)", narrative=True).stance.polarity == "mentions"
    gaze = _gold_sentence("range2015", "However, while gaze following into distant", "1999).")
    for cited in ("(Povinelli and Eddy, 1996)", "(Tomasello et al., 1999)"):
        assert guess(gaze, cited).stance.polarity != "disputes"


def _claim_guesses(gold: str, words: str) -> dict[str, tuple[Stance, str]]:
    """Each cited first surname of the gold text's claim holding ``words``: its stance and cue,
    as the extractor reads them (brackets and all)."""
    text = (GOLD / gold / "text.txt").read_text(encoding="utf-8")
    claims = extract_claims(text, find_citations(text), (), source="text.txt", citing="x")
    (claim,) = [c for c in claims if words in c.text]
    guesses = dict(claim.guesses)
    return {
        ref.surnames[0]: (guesses[ref.start].stance, guesses[ref.start].cue)
        for mention in claim.mentions
        for ref in mention.refs
    }


@pytest.mark.parametrize(
    ("gold", "words", "surname", "stance", "cue"),
    [
        # after the citation, in its brackets: the review it is cited for
        ("range2015", "for a thorough review of these data", "Virányi",
         Stance.OBTAINS_BACKGROUND_FROM, "for a thorough review"),
        ("range2015", "for a thorough review of these data", "Feddersen-Petersen",
         Stance.SUPPORTS, "confirmed"),
        # before it, after another citation of the same brackets
        ("pearson2019", "less effective feature search", "Grubert", Stance.DISPUTES, "but see"),
        ("pearson2019", "for a review, see Geng", "Geng", Stance.OBTAINS_BACKGROUND_FROM,
         "for a review"),
    ],
)  # fmt: skip
def test_the_words_in_a_citations_brackets_before_and_after_it_are_read(
    gold: str, words: str, surname: str, stance: Stance, cue: str
) -> None:
    assert _claim_guesses(gold, words)[surname] == (stance, cue)


def _tei_sentence(name: str, start: str, end: str) -> str:
    text = " ".join(tei_to_text(TEI / f"{name}.training.fulltext.tei.xml").text.split())
    at = text.index(start)
    return text[at : text.index(end, at) + len(end)]


@pytest.mark.skipif(
    not TEI.is_dir(), reason=f"the GROBID corpus {TEI} is absent (../shared not checked out)"
)
def test_what_was_questioned_is_disputed_in_real_articles():
    # what was questioned is disputed, who questioned it is the evidence (a numbered citation
    # is read as any other)
    data = _tei_sentence("12985_2015_Article_447", "Another study reported similar", "[22].")
    assert (guess(data, "[19]").stance, guess(data, "[19]").cue) == (Stance.CRITIQUES, "questioned")
    assert guess(data, "[22]").stance is Stance.CITES_AS_EVIDENCE
    status = _tei_sentence("12862_2014_Article_245", "Since their taxonomic descriptions", "[20].")
    assert guess(status, "[20]").stance is Stance.CITES_AS_EVIDENCE


def test_who_contests_a_view_is_its_critic_what_is_contested_its_target():
    # others' work the subject, given in brackets after the verb: the critics, as evidence
    framework = _gold_sentence("pearson2019", "However, a growing literature has", "2016).")
    critics = framework[framework.index("(Awh") :].rstrip(".")
    assert (guess(framework, critics).stance, guess(framework, critics).cue) == (
        Stance.CITES_AS_EVIDENCE, "questioned")  # fmt: skip
    # the same sentence with its critics named as the subject, or as the passive's agent, a
    # position described; the target named, disputed (adapted: the corpora hold none)
    subject = framework.replace("However, a growing literature has", "Awh et al. (2012)")
    found = guess(subject, "Awh et al. (2012)", narrative=True)
    assert (found.stance, found.cue) == (Stance.CITES, "questioned")
    agent = "This framework has been questioned by Awh et al. (2012)."
    assert guess(agent, "Awh et al. (2012)", narrative=True).stance is Stance.CITES
    target = "Yantis's (2000) framework has been questioned."
    assert guess(target, "Yantis's (2000)", narrative=True).stance is Stance.CRITIQUES


def test_a_view_at_odds_with_the_text_is_disputed():
    # nuijten2016's sentence, with the work its notion came from (cited two sentences before,
    # Leggett et al., 2013) put in brackets after it: adapted, the corpora hold none
    odds = _gold_sentence("nuijten2016", "This is at odds with", "decades.")
    found = guess(odds[:-1] + " (Leggett et al., 2013).", "(Leggett et al., 2013)")
    assert (found.stance, found.cue) == (Stance.DISPUTES, "at odds with")


def test_a_position_named_again_and_criticised_in_the_next_sentence_is_disputed():
    suggested = _gold_sentence("pearson2019", "Awh et al. (2012) suggested", "history.")
    # the real next sentence names it again and describes it: no criticism; named again and
    # criticised (adapted: the corpora hold no such pair with a citation), a dispute;
    # "However" alone too light to outweigh the position described
    for after, stance, cue in (
        (_gold_sentence("pearson2019", "This category describes", "2019)"), Stance.CITES,
         "suggested"),
        ("This account overlooks biases that are formed through learned relationships.",
         Stance.CRITIQUES, "next sentence: This account overlooks"),
        ("However, biases are formed through learned relationships.", Stance.CITES, "suggested"),
    ):  # fmt: skip
        found = guess(suggested, "Awh et al. (2012)", narrative=True, after=after)
        assert (found.stance, found.cue) == (stance, cue)


def _text_guesses(gold: str) -> dict[tuple[str, str], StanceGuess]:
    """Each citation of a gold's text as kg reads it: (first words of its sentence, the
    citation as written) -> kg's guess."""
    text = (GOLD / gold / "text.txt").read_text(encoding="utf-8")
    claims = extract_claims(text, find_citations(text), (), source="text.txt", citing="x")
    return {
        (claim.text[:30], text[ref.start : ref.end]): dict(claim.guesses)[ref.start]
        for claim in claims
        for mention in claim.mentions
        for ref in mention.refs
    }


@pytest.mark.parametrize(
    ("sentence", "cited", "stance", "cue"),
    [
        pytest.param("For example, Phase 2 (the homo", "Altschul et al., 1997",
                     Stance.USES_METHOD_IN, "BLAST", id="a program's own name"),
        pytest.param("For example, Phase 2 (the homo", "Eddy, 1998",
                     Stance.USES_METHOD_IN, "HMMER", id="another program's own name"),
        pytest.param("To demonstrate the application", "Yates et al., 2016",
                     Stance.USES_DATA_FROM, "database",
                     id="a database named, its release in brackets between"),
        pytest.param("A number of software packages ", "Yang, 2007", Stance.USES_METHOD_IN,
                     "software", id="software the clause closed by the citation names"),
        pytest.param("The ratio of dN/dS is commonly", "Kosiol et al., 2008",
                     Stance.CITES_AS_EVIDENCE, "is routinely used to",
                     id="instances of a practice"),
        pytest.param("It is advisable to explore a v", "Muller et al.,\n2010",
                     Stance.CITES_AS_EVIDENCE, "It is advisable", id="the ground of advice"),
        pytest.param("These complexities are often c", "Keane et al., 2015",
                     Stance.CITES_AS_EVIDENCE, "", id="genomic in scale: a manner, no scale"),
    ],
)  # fmt: skip
def test_a_tool_or_data_source_is_used_a_practice_or_advice_is_evidenced(
    sentence: str, cited: str, stance: Stance, cue: str
) -> None:
    found = _text_guesses("webb2017")[(sentence, cited)]
    assert (found.stance, found.cue) == (stance, cue)


def test_a_practice_or_a_name_that_is_not_a_tools_is_no_such_cue():
    # a practice named, not done: the procedure's source (pearson2019's gold: a mention)
    task = _gold_sentence("pearson2019", "For example, across two experiments", "movements.")
    assert guess(task, "(Theeuwes, 1991, 1992)").stance is Stance.USES_METHOD_IN
    # a practice with no purpose after it: the method's source (teickner2020's gold: a mention)
    ward = _gold_sentence("teickner2020", "Ward’s minimum variance clustering", "2011).")
    assert guess(ward, "(Borcard et al., 2011)").stance.polarity == "mentions"
    # a capitalised word alone is no program's name; "previous studies" no instance of one
    replication = _gold_sentence("nuijten2016", "Our study can be considered", "2011).")
    assert guess(replication, "(Bakker & Wicherts, 2011;").stance.polarity == "mentions"
    for plain in ("Dogs follow human gaze in Hungary (Smith, 2010).",
                  "Fines replaced feuds in Anglo-Saxon law (Smith, 2010)."):  # fmt: skip
        assert guess(plain, "(Smith, 2010)").stance is Stance.CITES_AS_EVIDENCE
    # a name with words before the citation in its brackets: cited on it, not as its source
    nhst = _text_guesses("nuijten2016")[
        ("Notwithstanding the many debat", "Fidler &\nCumming, 2005")
    ]
    assert (nhst.stance, nhst.cue) == (Stance.CITES_FOR_INFORMATION, "see e.g")


@pytest.mark.parametrize("cited", ["(Epskamp & Nuijten, 2015)", "(Wicherts et al., 2011)"])
def test_a_work_cited_in_the_authors_own_voice_is_a_mention(cited):
    # nuijten2016: what the authors do with the works ("Here we investigate ... by comparing
    # ... with the results of a study ..."), not evidence of a claim about the world; without
    # "we" the prior and "results" outweigh the program named
    sentence = _gold_sentence("nuijten2016", "Here we investigate the validity", "2011).")
    assert guess(sentence, cited).stance.polarity == "mentions"
    start = sentence.index(cited)
    blank = sentence[:start] + " " * len(cited) + sentence[start + len(cited) :]
    cues = stance_cues(blank, start, start + len(cited))
    assert ("we", "clause") in {(c.words, c.where) for c in cues}


def test_the_authors_own_findings_are_no_cue_of_a_mention():
    # "we found" is what the authors found: the works cited with it keep their evidence
    # (adapted from range2015's "another study where we investigated gaze following ...")
    sentence = "In another study we found gaze following into distant space in wolves (Range and"
    sentence += " Virányi, 2011)."
    found = guess(sentence, "(Range and Virányi, 2011)")
    assert found.stance is Stance.CITES_AS_EVIDENCE


@pytest.mark.parametrize(
    ("gold", "first", "last", "cited", "stance", "verb"),
    [
        # research acts of finding, Hyland's reporting verbs: the work is given as evidence
        ("teickner2020", "Fernández-Giménez et al. (2015) identified", "conditions.",
         "Fernández-Giménez et al. (2015)", Stance.CITES_AS_EVIDENCE, "identified"),
        # ... and of procedure
        ("lofar2015", "Lazio et al. (2010) carried out", "500 Jy.", "Lazio et al. (2010)",
         Stance.CITES_AS_EVIDENCE, "carried out"),
        # a discourse act: a position the text names
        ("range2015", "Hare and Tomasello (2005) proposed", ".", "Hare and Tomasello (2005)",
         Stance.CITES, "proposed"),
    ],
)  # fmt: skip
def test_a_narrative_citations_reporting_verb_says_what_the_work_is_cited_for(
    gold, first, last, cited, stance, verb
):
    sentence = _gold_sentence(gold, first, last)
    assert guess(sentence, cited, narrative=True).stance.polarity == stance.polarity
    start = sentence.index(cited)
    blank = sentence[:start] + " " * len(cited) + sentence[start + len(cited) :]
    cues = stance_cues(blank, start, start + len(cited), narrative=True)
    assert any(c.where == "verb" and c.words == verb for c in cues) or any(
        c.where == "clause" and c.words == verb for c in cues
    )


def test_a_finding_verb_is_read_in_the_passive_with_the_work_its_agent():
    sentence = "Three radio transients were discovered by Hyman et al. (2005) near the centre."
    found = guess(sentence, "Hyman et al. (2005)", narrative=True)
    assert (found.stance, found.cue) == (Stance.CITES_AS_EVIDENCE, "discovered")
    # in brackets the verb is no reporting verb of the work: the prior's evidence stays
    plain = "Three radio transients were discovered near the centre (Hyman et al., 2005)."
    assert not [c for c in stance_cues(plain, 57, 76) if c.where == "verb"]
    # a verb read already in the clause is not weighed twice
    argued = "Smith (2010) argued that mentoring helps."
    cues = stance_cues(argued.replace("Smith (2010)", " " * 12), 0, 12, narrative=True)
    assert [c.where for c in cues if c.words == "argued"] == ["clause"]
    # a verb of discourse the clause cues do not hold is read as the citation's verb
    termed = "Smith (2010) defines mentoring as a relation of trust."
    cues = stance_cues(termed.replace("Smith (2010)", " " * 12), 0, 12, narrative=True)
    assert ("defines", "verb") in {(c.words, c.where) for c in cues}


def test_using_is_a_light_cue_that_decides_only_with_another():
    # lofar2015: what the bursts were detected with is no method the works are cited for
    sentence = _gold_sentence("lofar2015", "Since this discovery", "Arecibo")
    found = guess(sentence, "(Keane et al. 2011;")
    assert found.stance is Stance.CITES_AS_EVIDENCE
    cues = stance_cues(sentence, sentence.index("(Keane"), sentence.index("(Keane") + 19)
    assert ("using", "clause") in {(c.words, c.where) for c in cues}
    # with the authors' own voice it outweighs the bracket's prior: a tool they used
    ours = "We carried out optical follow-up of the field by using the Liverpool Telescope"
    ours += " (Steele et al. 2004)."
    assert guess(ours, "(Steele et al. 2004)").stance is Stance.USES_METHOD_IN


def test_the_authors_own_voice_speaks_only_for_its_own_clause():
    # cocreation2024 (its text in lower case after a full stop, so the extractor's sentence
    # runs on): "this study" in a later clause says nothing of the work cited before it
    sentence = (
        "the Dart model has been employed in the fashion industry, showing how nike co-created"
        " value (Ramaswamy, 2009); therefore, this study provides a broader vision of the model."
    )
    cited = "(Ramaswamy, 2009)"
    start = sentence.index(cited)
    cues = stance_cues(sentence, start, start + len(cited))
    assert not [c for c in cues if c.words == "this study"]
    assert guess(sentence, cited).stance is Stance.CITES_AS_EVIDENCE
    # in its own clause it still speaks ("we chose ... (X)")
    ours = "To estimate the model we chose partial least squares (Hair et al., 2017)."
    cues = stance_cues(ours, ours.index("(Hair"), len(ours) - 1)
    assert ("we", "clause") in {(c.words, c.where) for c in cues}


def test_a_cited_work_arguing_that_a_practice_does_harm_takes_the_critical_side():
    """The seed's one dispute, as its researcher's gold reads it: the critical words are the
    cited authors', what they argue, and the map shows them disputing the theme."""
    sentence = (
        "Hucklesby and Wincup (2014: 1) argue that 'transferring mentoring into the coercive and"
        " punitive environment of the criminal justice system results in a departure from the"
        " very principles and values which are the basis of its usefulness elsewhere'."
    )
    found = guess(sentence, "Hucklesby and Wincup (2014: 1)", narrative=True)
    assert (found.stance, found.cue) == (Stance.CRITIQUES, "argue that")
    # what is argued decides: an argument for the practice stays a position named
    plain = "Smith (2010) argues that mentoring builds trust between staff and service users."
    assert guess(plain, "Smith (2010)", narrative=True).stance != Stance.CRITIQUES


def test_a_bracket_between_a_subject_and_its_verb_is_an_aside_that_decides_only_with_another():
    # pearson2019: the source of the tool just named, not the evidence of what it indicated
    power = _gold_sentence("pearson2019", "Based on an anticipated effect size", "effects).")
    cited = "(Faul, Erdfelder, Lang, & Buchner, 2007)"
    start = power.index(cited)
    blank = power[:start] + " " * len(cited) + power[start + len(cited) :]
    cues = stance_cues(blank, start, start + len(cited))
    assert ("indicated", "aside") in {(c.words, c.where) for c in cues}
    assert guess(power, cited).stance.polarity == "mentions"
    # lofar2015: a work given aside, in brackets of its own, between a narrative citation and
    # its verb
    aside = _gold_sentence("lofar2015", "For example, Bower et al. (2007)", "22 years,")
    found = guess(aside, "Frail et al. 2012", lead="also see ")
    assert found.stance.polarity == "mentions"
    # robinson2015: alone it is lighter than a bracket's prior, and the works stay evidence
    found_ = _gold_sentence("robinson2015", "Class recognition between", "identified.")
    first = "(Tripovich et al. 2008; Casey et al. 2013)"
    found_ = found_.replace(first, " " * len(first))
    cited = "(Roux and Jouventin 1987; Charrier et al. 2002, 2003, 2009; Pitcher et al. 2010, 2011)"
    start = found_.index(cited)
    blank = found_[:start] + " " * len(cited) + found_[start + len(cited) :]
    cues = stance_cues(blank, start, start + len(cited))
    assert ("has", "aside") in {(c.words, c.where) for c in cues}
    assert guess(found_, cited).stance is Stance.CITES_AS_EVIDENCE
    # a list going on ("plus one event", "as well as") is no verb
    plus = "eight bursts were detected using Parkes (Keane et al. 2011) plus one event at Arecibo."
    start = plus.index("(Keane")
    assert not [c for c in stance_cues(plus, start, start + 19) if c.where == "aside"]


def _cues_blanked(sentence: str, cited: str, **reading: Any) -> list[StanceCue]:
    """The cues bearing on ``cited`` in ``sentence``, the citation blanked as the extractor
    blanks it."""
    start = sentence.index(cited)
    blank = sentence[:start] + " " * len(cited) + sentence[start + len(cited) :]
    return stance_cues(blank, start, start + len(cited), **reading)


@pytest.mark.parametrize(
    ("gold", "first", "last", "cited", "lead", "item"),
    [
        # pmc8446315: a compound by its number, a program by its name and version, a receptor
        # structure by its accession in the brackets: the work is the item's source
        ("pmc8446315", "For synthesis of derivatives of type 13", "tions,",
         "(O'Brain & Gates, 1966)", "", "11"),
        ("pmc8446315", "Data were collected with the Bruker APEX2", "2015).",
         "(Krause et al., 2015)", "", "SADABS-2016/2"),
        ("pmc8446315", "The crystal structure was solved", "2015).", "(Sheldrick, 2015)", "",
         "SHELXL-2018/3"),
        ("pmc8446315", "The experimentally obtained structure", "(Figure 7).",
         "Zhuang et al., 2020)", "(PDB 6OMM; ", "PDB 6OMM"),
        # cocreation2024: a threshold value cited for its source
        ("cocreation2024", "For ca and cr, all scores", "1988;", "(Bagozzi & Yi, 1988;", "",
         "0.7"),
        # lofar2015: a survey glossed by its code in the brackets
        ("lofar2015", "We also consulted the Wide-Field", "2006);", "Skrutskie et al. 2006)",
         "(2MASS; ", "2MASS"),
    ],
)  # fmt: skip
def test_a_citation_attached_to_an_identifier_cites_the_source_of_the_item_named(
    gold, first, last, cited, lead, item
):
    sentence = _gold_sentence(gold, first, last)
    sentence = sentence[: sentence.index(cited) + len(cited)]
    for earlier in ("(Bruker, 2012a)", "(Bruker, 2012b)", "(WISE; Wright et al. 2010)",
                    "(Sheldrick, 2008)"):  # fmt: skip
        sentence = sentence.replace(earlier, " " * len(earlier))  # as the extractor blanks them
    found = guess(sentence, cited, lead=lead)
    assert found.stance.polarity == "mentions"
    cues = _cues_blanked(sentence, cited, lead=lead)
    assert (item, "named") in {(c.words, c.where) for c in cues}


def test_a_year_a_share_or_a_statistic_before_the_brackets_is_no_item_named():
    # nuijten2016: a statistic given as it should not be reported stays the work's evidence
    sentence = _gold_sentence("nuijten2016", "However, statcheck counts this", "p. 114).")
    cited = "(American Psychological Association, 2010, p. 114)"
    start = sentence.index(cited)
    assert not [c for c in stance_cues(sentence, start, start + len(cited)) if c.where == "named"]
    # a year heading the brackets is a citation's, not an item's code
    dated = "Reoffending fell (2010; Smith, 2012)."
    start = dated.index("Smith")
    assert not [
        c for c in stance_cues(dated, start, start + 11, lead="(2010; ") if c.where == "named"
    ]
    for before in ("grew steadily in 2010", "fell by 20%", "was significant, p < .05"):
        plain = f"Reoffending {before} (Smith, 2012)."
        start = plain.index("(Smith")
        assert not [c for c in stance_cues(plain, start, start + 13) if c.where == "named"]
        assert guess(plain, "(Smith, 2012)").stance is Stance.CITES_AS_EVIDENCE


@pytest.mark.parametrize(
    ("gold", "first", "last", "cited", "words"),
    [
        # lofar2015: a pointer to where the details are, and the events a work reported
        ("lofar2015", "Full de- tails of the instrument", "(2013).", "van Haarlem et al. (2013)",
         "found in"),
        ("lofar2015", "To investigate this possi- bility", "60 MHz.", "Thornton et al. (2013)",
         "reported in"),
        # pmc8446315: the receptor structures a work reported, used for docking
        ("pmc8446315", "The FPR1 and FPR2 geometries", "docking.", "Zhuang et al., 2020",
         "reported by"),
    ],
)  # fmt: skip
def test_what_a_work_reported_named_just_before_it_is_cited_for_its_source(
    gold, first, last, cited, words
):
    sentence = _gold_sentence(gold, first, last)
    found = guess(sentence, cited, narrative=True)
    assert found.stance.polarity == "mentions"
    cues = _cues_blanked(sentence, cited, narrative=True)
    assert (words, "named") in {(c.words, c.where) for c in cues}
    # the participle is not read again as a finding
    assert not [
        c for c in cues if c.stance.polarity == "supports" and c.where in ("clause", "verb")
    ]


def test_what_was_reported_by_a_work_as_the_main_verb_is_its_finding():
    # agri2024 (scored held out after the tenth round, which read these as sources): a value
    # "was reported by" a work is what the work found, the sentence's own verb, not a thing
    # named that a work reported ("the geometries reported by X were used")
    sentence = _gold_sentence("agri2024", "a total ash content of 3.2%", "(2010).")
    cited = "Shimels and Tizazu (2010)"
    start = sentence.index(cited)
    assert not [
        c
        for c in stance_cues(sentence, start, start + len(cited), narrative=True)
        if c.where == "named"
    ]
    assert guess(sentence, cited, narrative=True).stance.polarity == "supports"


def test_a_contrast_with_what_a_work_reported_still_disputes_it():
    # teickner2020: the light source cue does not outweigh the contrast
    sentence = _gold_sentence("teickner2020", "Any household with ≥ 10 campsite", "(1975).")
    found = guess(sentence, "Jagvaral (1975)", narrative=True)
    assert found.stance.polarity == "disputes"
    # what a work discovered is a research act, evidence, not a source named
    discovered = "Three radio transients were discovered by Hyman et al. (2005)."
    start = discovered.index("Hyman")
    blank = discovered[:start] + " " * 19 + discovered[start + 19 :]
    assert not [
        c for c in stance_cues(blank, start, start + 19, narrative=True) if c.where == "named"
    ]


def _case_blind_cues() -> dict[str, CaseBlind]:
    cues = {
        name: value for name, value in vars(stance_module).items() if isinstance(value, CaseBlind)
    }
    for table, patterns in stance_module._COMPILED.items():
        cues.update({f"{table}{i}": pattern for i, (pattern, _, _) in enumerate(patterns)})
    return cues


def test_a_case_blind_cue_finds_what_ignoring_case_finds_around_every_citation_of_the_golds():
    # CaseBlind reads the text in lower case first, and again ignoring case only where that
    # found something: on every gold text, each cue gives the same matches as the pattern
    # compiled with re.IGNORECASE, before, at and after each citation
    development_golds()
    texts = [path.read_text(encoding="utf-8") for path in sorted(GOLD.glob("*/text.txt"))]
    assert len(texts) >= 8  # the PDFs' texts, in the repository; the TEI golds' with ../shared
    cues = _case_blind_cues()
    found = dict.fromkeys(cues, 0)
    for text in texts:
        for mention in find_citations(text):
            start, end = mention.start, mention.end
            near = text[max(0, start - 300) : end + 300]
            start, end = start - max(0, start - 300), end - max(0, start - 300)
            for name, cue in cues.items():
                plain = re.compile(cue.pattern.pattern, re.IGNORECASE)
                for blind, ignoring in (
                    (cue.search(near, 0, start), plain.search(near, 0, start)),
                    (cue.search(near), plain.search(near)),
                    (cue.match(near, end), plain.match(near, end)),
                ):
                    assert (blind and (blind.span(), blind.groups())) == (
                        ignoring and (ignoring.span(), ignoring.groups())
                    ), (name, near)
                    found[name] += ignoring is not None
    assert sum(1 for count in found.values() if count) >= 12, found


def test_a_case_blind_cue_first_looks_only_where_a_match_can_start():
    # the lower-case reading skips the characters no match starts with ("such as": only at an
    # "s"); the test above checks that it finds what ignoring case finds on the golds' texts
    cues = _case_blind_cues()
    skimming = {name for name, cue in cues.items() if cue.skim is not cue.lower}
    assert {"PRACTICE", "DEFINING", "OWN_CONTRAST", "EXAMPLE_BEFORE", "sentence0"} <= skimming
    assert stance_module.EXAMPLE_BEFORE.skim.pattern.startswith("[s]")
    # anchored at the start, or starting with any of a class: read as compiled
    assert {"NEXT_CONTRAST", "trail0", "NAMED_AFTER"}.isdisjoint(skimming)
    sentence = _gold_sentence("bionlp2009", "For details of this part", "2009).")
    for name in ("DEFINING", "PRACTICE"):
        cue = cues[name]
        lower = sentence.lower()
        assert (cue.skim.search(lower) is None) == (cue.lower.search(lower) is None), name


@pytest.mark.parametrize(
    "text", ["ſuch as the p-curve ", "they faıled to replicate", "İn contrast", "SUCH AS THE "]
)
def test_a_case_blind_cue_reads_what_lower_case_would_miss_ignoring_case(text: str):
    # "ſ" and "ı" are "s" and "i" to re.IGNORECASE but not in lower case; "İ" lowers to two
    cues = (stance_module.EXAMPLE_BEFORE, stance_module.OWN_CONTRAST)
    for cue in cues:
        blind, ignoring = cue.search(text), cue.pattern.search(text)
        assert (blind and blind.span()) == (ignoring and ignoring.span())
    assert any(cue.search(text) for cue in cues)


def test_a_practice_a_plan_or_a_definition_in_the_clause_is_a_mention():
    """The ninth round's two clause cues, kept in the twelfth after a held-out test: on the
    golds made after they were written they turned eight citations right and none wrong."""
    # bionlp2009: a work referred to for details
    details = _gold_sentence("bionlp2009", "For details of this part", "2009).")
    found = guess(details, "(Pyysalo et al., 2009)")
    assert (found.stance, found.cue) == (Stance.USES_CONCEPTUAL_FRAMEWORK_OF, "refer to")
    # hband1999: what a forthcoming paper will give
    plan = _gold_sentence("hband1999", "Profile decompositions using", "1999a).")
    found = guess(plan, "Gavazzi et al. 1999a")
    assert (found.stance.polarity, found.cue) == ("mentions", "will")
    # a finding in the clause with neither is still evidence (the seed's sentence form)
    assert classify_stance("Mentors gained confidence (Buck, 2017).", 26, 38).stance is (
        Stance.CITES_AS_EVIDENCE
    )


def test_an_item_described_before_cites_its_source():
    """The thirteenth round's "previously reported" candidate, kept after a held-out test: on
    the golds made after it was written (bjc6603563, pmc6133159) it turned two citations
    right and none wrong, on the others none either way."""
    method = _gold_sentence("pmc6133159", "Based on the previously reported", "2017).")
    cited = "(Bębenek et al. 2017)"
    assert guess(method, cited).stance is Stance.USES_METHOD_IN  # the method's source
    # without the cue, "the acetylenic esters ... were converted" was the work's evidence
    assert guess(method.replace("previously reported", "reported"), cited).stance is (
        Stance.CITES_AS_EVIDENCE
    )
    data = _gold_sentence("bjc6603563", "We compared the CGH profiles", "2006).")
    found = guess(data, "(Karhu et al, 2006)")
    assert (found.stance, found.cue) == (Stance.CITES, "previously published")
    # what was reported, not described before, is still read as it was
    assert classify_stance("Gains were reported (Buck, 2017).", 20, 32).stance is (
        Stance.CITES_AS_EVIDENCE
    )


def test_a_thing_named_by_its_name_and_kind_cites_its_source_a_kind_alone_is_no_cue():
    """stance13: an instrument, a catalogue, a shared task or a medium, named by its own name
    and its kind just before the brackets, is what the work is cited for (a mention), in four
    fields' golds; the kind with no name is the thing spoken of."""
    detector = _gold_sentence("hband1999", "The folded Cassegrain focus", "Hunt et al. 1996).")
    found = guess(detector, "(Lisi et al. 1993; Lisi et al. 1996; Hunt et al. 1996)")
    assert (found.stance, found.cue) == (Stance.USES_METHOD_IN, "NICMOS3 array detector")
    catalogue = _gold_sentence("hband1999", "There are 383 early", "1961-68)")
    found = guess(catalogue, "(Zwicky et al. 1961-68)")
    assert (found.stance, found.cue) == (Stance.USES_DATA_FROM, "CGCG catalogue (m p ≤ 15.7)")
    buffer = _gold_sentence("briere2003", "Protoplasts were fixed for 1 h", "1989)")
    found = guess(buffer, "(Traas, 1989)")
    assert (found.stance, found.cue) == (Stance.USES_METHOD_IN, "MSB buffer")
    track = _gold_sentence("bionlp2009", "Examples include the TREC", "2005)")
    found = guess(track, track[track.index("(Hersh") : track.index("2005)") + 5])
    assert (found.stance, found.cue) == (Stance.CITES, "TREC Genomics track")
    # a kind named with no name: the thing the sentence speaks of, evidence as before
    platforms = _gold_sentence("cocreation2024", "in online commerce, perceived risk", "2008)")
    found = guess(platforms, "(Zhou et al., 2008)")
    assert found.stance is Stance.CITES_AS_EVIDENCE


def test_a_things_proper_name_just_before_the_brackets_cites_its_source_a_place_is_no_cue():
    """stance13: two capitalised words or more after a word in lower case name a thing (an
    array, a program, a kernel): a light cue of a mention, not read after "in" a place."""
    array = _gold_sentence("lofar2015", "Firstly, the amplitude and phase gain", "2009)")
    found = guess(array, "(BBS; Pandey et al. 2009)", lead="(BBS; ")
    assert (found.stance.polarity, found.cue) == ("mentions", "Black Board Selfcal")
    kernel = _gold_sentence("wang2008", "To represent it, we have utilized", "2007a).")
    found = guess(kernel, "(Wang and Neumann, 2007a)")
    assert (found.stance.polarity, found.cue) == ("mentions", "Collocation Kernel")
    place = _gold_sentence("agri2024", "for the haag blue variety", "2019)")
    cited = "(Alemu et al., 2019)"
    at = place.index(cited)
    blank = place[:at] + " " * len(cited) + place[at + len(cited) :]
    assert not [c for c in stance_cues(blank, at, at + len(cited)) if c.where == "named"]


def test_a_word_of_critique_that_names_the_topic_is_no_dispute():
    """stance14: "neglected", "questionable" before the noun they qualify, and "challenges"
    as a noun after a determiner, name what the sentence is about (a kind of disease, of
    practice, a difficulty), not a fault of the works cited; in two golds the works are
    evidence."""
    disease = _gold_sentence("setshedi2023", "Human African trypanosomiasis (HAT)", "2021).")
    assert guess(disease, "(Dunn et al., 2021)").stance is Stance.CITES_AS_EVIDENCE
    hospitals = _gold_sentence("setshedi2023", "Due to the toxicity of the molecules", "2022).")
    assert guess(hospitals, "(Eperon et al., 2014;").stance is Stance.CITES_AS_EVIDENCE
    practices = _gold_sentence("nuijten2016", "Even though reporting inconsistencies", "2012).")
    assert guess(practices, "(John, Loewenstein, & Prelec, 2012)").stance is (
        Stance.CITES_AS_EVIDENCE
    )
    # the verb, and a critique of a work, are still read
    verb = _gold_sentence(
        "cocreation2024", "Moreover, previous studies have neglected", "literature."
    )
    assert not stance_module._topic_word(verb, verb.index("neglected"), "neglected")
    assert not stance_module._topic_word("a flawed model of desistance", 2, "flawed")
    assert not stance_module._topic_word("this challenges the view", 5, "challenges")


def test_a_contrast_disputes_a_work_only_when_the_work_is_its_other_side():
    """stance15: a connective ("In contrast,"), a contrast phrase closed by a comma before
    the citation, or a thing named as the other side ("in contrast to wolves (X)") sets what
    the sentence says against something else: the works cited for it are evidence, as three
    golds of three fields read them (briere2003, pmc6133159, range2015)."""
    connective = _gold_sentence("briere2003", "In contrast, the nuclear phase", "2000).")
    assert guess(connective, "(Nix et al., 1997)").stance is Stance.CITES_AS_EVIDENCE
    reaction = _gold_sentence("pmc6133159", "In contrast to the CuACC reaction", "2015).")
    first = "(Rostovtsev et al. 2002;"
    found = guess(reaction, first)
    assert (found.stance, found.cue) == (Stance.CITES_AS_EVIDENCE, "")
    wolves = _gold_sentence("range2015", "Rather, the latter has", "1987).")
    assert guess(wolves, "(Scott and Fuller, 1965;").stance is Stance.CITES_AS_EVIDENCE
    # the work as the contrast's other side, in its phrase, is still disputed
    for sentence, cited in [
        ("In contrast to earlier estimates (Smith, 2010), the rate rose.", "(Smith, 2010)"),
        ("Unlike Smith (2010), we found no effect of age.", "Smith (2010)"),
        # the comma after the work's own (blanked) citation closes no phrase before it
        ("Contrary to Smith (2010), mentoring did not reduce reoffending.", "Smith (2010)"),
        ("In contrast to (Smith, 2010), mentoring did not reduce it.", "(Smith, 2010)"),
        ("This is in contrast to (Batnasan, 1978) who proposed a classification by distance.",
         "(Batnasan, 1978)"),
    ]:  # fmt: skip
        narrative = not cited.startswith("(")
        assert guess(sentence, cited, narrative=narrative).stance.polarity == "disputes"
    # teickner2020: a contrast after a comma in the sentence, not opening it, still disputes
    sentence = _gold_sentence("teickner2020", "Any household with ≥ 10 campsite", "(1975).")
    assert guess(sentence, "Jagvaral (1975)", narrative=True).stance.polarity == "disputes"


def test_using_is_no_cue_for_a_narrative_citation_the_subject_that_used_it():
    """stance15: for a narrative citation "using" is the work's own procedure, not a method
    it is the source of; its verb of finding decides (agri2024, cocreation2024, lofar2015)."""
    lupin = _gold_sentence("agri2024", "Shimels and Tizazu (2010) observed", "Debretabor")
    found = guess(lupin, "Shimels and Tizazu (2010)", narrative=True)
    assert (found.stance, found.cue) == (Stance.CITES_AS_EVIDENCE, "observed")
    radio = _gold_sentence("lofar2015", "Using the LWA, Obenberger", "GRBs.")
    found = guess(radio, "Obenberger et al. (2014a)", narrative=True)
    assert (found.stance, found.cue) == (Stance.CITES_AS_EVIDENCE, "detected")
    nike = _gold_sentence("cocreation2024", "Ramaswamy (2008) showed how", "using them.")
    assert guess(nike, "Ramaswamy (2008)", narrative=True).stance is Stance.CITES_AS_EVIDENCE
    # in brackets it is still the light cue of a method
    cues = stance_cues(*_blanked("the follow-up was made using the Liverpool Telescope (X)", "(X)"))
    assert ("using", "clause") in [(c.words, c.where) for c in cues]


def _blanked(sentence: str, cited: str) -> tuple[str, int, int]:
    start = sentence.index(cited)
    end = start + len(cited)
    return sentence[:start] + " " * len(cited) + sentence[end:], start, end


def test_a_word_of_evidence_pointing_to_the_texts_own_figure_is_no_cue():
    """stance15: "shown in Figure 14" is the authors' showing, not the cited work's finding;
    in five golds every such citation is a mention (lofar2015, pmc8446315 turned)."""
    image = _gold_sentence("lofar2015", "The combined image, shown in Figure 14", "mag.")
    found = guess(image, "(Monet et al. 2003)")
    assert found.stance is Stance.USES_METHOD_IN
    assert "shown" not in [c.words for c in stance_cues(*_blanked(image, "(Monet et al. 2003)"))]
    # a figure of the work cited is the work's showing, still evidence
    theirs = "The decline is shown in Fig. 2 of the survey report (Smith, 2010)."
    assert guess(theirs, "(Smith, 2010)").stance is Stance.CITES_AS_EVIDENCE
