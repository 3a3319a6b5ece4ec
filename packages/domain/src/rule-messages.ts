/**
 * The words for each broken domain rule (`RuleViolation`), in English. Placeholders `{name}` take
 * the violation's parameters. Every key here must also be in `RULE_MESSAGES_HR`.
 *
 * @example RULE_MESSAGES_EN["rule.value.notWhole"] // "{value} is not a whole number; {indicator} counts whole things"
 */
export const RULE_MESSAGES_EN = {
  "rule.return.dueInPast": "The due date {dueDate} has passed: choose {today} or later",
  "rule.return.assigneeCannotSubmit":
    "{name} can only read this partnership's work, so cannot make data returns: choose a contributor, editor or lead",
  "rule.return.nothingPending": "{indicator} {period} has no value waiting for approval",
  "rule.lock.reasonRequired":
    "{indicator} {period} is locked at {value}: give a reason for revising it to {newValue}",
  "rule.lock.notReported":
    "{indicator} has no values for {period} yet: a period can be locked once it has been reported",
  "rule.lock.alreadyLocked": "{indicator} {period} is already locked",
  "rule.indicator.unknown": "There is no indicator {indicator} in the catalogue",
  "rule.target.baselineNeeded":
    "Give the baseline period and value of {indicator} first: a trajectory starts from its baseline",
  "rule.target.notAfterBaseline": "The target for {period} must come after the baseline period ({baseline})",
  "rule.target.outsidePlan": "The target for {period} is outside the plan's years ({from} to {to})",
  "rule.target.duplicatePeriod": "There is already a target for {period}",
  "rule.target.reasonNeeded": "Say why the target for {period} changed from {before} to {after}",
  "rule.target.reasonNeededAdded": "Say why a target for {period} ({after}) was added in this refresh",
  "rule.action.dueBeforeStart": "The due date ({due}) must be on or after the start date ({start})",
  "rule.action.milestoneBeforeStart":
    "The milestone “{title}” ({date}) must not be before the action starts ({start})",
  "rule.action.milestoneAfterDue":
    "The milestone “{title}” ({date}) must not be after the action is due ({due})",
  "rule.step.needsIndicator": "Step {step} needs an indicator before it can be completed",
  "rule.step.needsEvidence": "Step {step} needs at least one item of evidence before it can be completed",
  "rule.step.needsTarget":
    "Step {step} needs a target (a baseline and at least one milestone) before it can be completed",
  "rule.step.needsChosenOption":
    "Step {step} needs a chosen option, with the reason it was chosen, before it can be completed",
  "rule.step.needsAction": "Step {step} needs at least one action before it can be completed",
  "rule.step.notCompleted": "Step {step} is not marked as completed",
  "rule.plan.noPriorities": "Add at least one priority before submitting the plan",
  "rule.plan.incomplete":
    "Priorities with something missing: {count}. Finish their five steps before the plan goes for agreement",
  "rule.report.commentaryNeeded": "{indicator} ({period}) is an exception and needs the owner's commentary",
  "rule.report.exceptionsUnexplained":
    "Exceptions without the owner's commentary: {count}. Each must be explained before the board report is issued",
  "rule.value.notNumber": "{value} is not a number",
  "rule.value.belowMin": "{value} is below the smallest value {indicator} can take ({min} to {max})",
  "rule.value.aboveMax": "{value} is above the largest value {indicator} can take ({min} to {max})",
  "rule.value.belowMinOnly": "{value} is below the smallest value {indicator} can take ({min} or more)",
  "rule.value.aboveMaxOnly": "{value} is above the largest value {indicator} can take ({max} or less)",
  "rule.value.notWhole": "{value} is not a whole number; {indicator} counts whole things",
  "rule.import.unknownIndicator": 'Unknown indicator "{value}": map it to a catalogue code',
  "rule.import.derivedIndicator": '"{indicator}" is derived: its values are computed, not imported',
  "rule.import.indicatorTextTooLong": "An indicator text has at most {max} characters",
  "rule.import.unknownArea": 'Unknown area code "{value}"',
  "rule.import.badPeriod": "Not a period Fivestep can read",
  "rule.import.wrongPeriodType": "{indicator} is reported by {expected}, not {found}",
  "rule.import.notNumber": "Not a number",
  "rule.import.lowerAboveUpper": "The lower limit is above the upper limit",
  "rule.import.badStatus": 'Status must be "provisional" or "final"',
  "rule.import.badJudgement":
    '"{value}" is not a judgement: use Better, Similar, Worse, Higher, Lower or Not compared',
  "rule.import.noteTooLong": "A note has at most {max} characters",
  "rule.import.breakdownTooLong": "A breakdown has at most {max} characters",
  "rule.import.duplicateKey": "Repeats row {firstRow}: the same indicator, area, period and breakdown",
  "rule.import.lockedNeedsReason":
    "The file changes values in locked periods ({count}): give one revision reason for all of them",
  "rule.import.notPending": "Import batch {batch} is no longer waiting for approval",
} as const;

/**
 * The same messages in Croatian.
 *
 * @example RULE_MESSAGES_HR["rule.value.notNumber"] // "{value} nije broj"
 */
export const RULE_MESSAGES_HR: Record<keyof typeof RULE_MESSAGES_EN, string> = {
  "rule.return.dueInPast": "Rok {dueDate} je već prošao: odaberite {today} ili kasniji datum",
  "rule.return.assigneeCannotSubmit":
    "{name} može samo čitati rad ovog partnerstva pa ne može dostavljati podatke: odaberite suradnika, urednika ili voditelja",
  "rule.return.nothingPending": "Za {indicator} {period} nema vrijednosti koja čeka odobrenje",
  "rule.lock.reasonRequired":
    "{indicator} {period} zaključan je na vrijednosti {value}: navedite razlog za izmjenu u {newValue}",
  "rule.lock.notReported":
    "{indicator} još nema vrijednosti za {period}: razdoblje se može zaključati tek kad su za njega objavljeni podaci",
  "rule.lock.alreadyLocked": "{indicator} {period} već je zaključan",
  "rule.indicator.unknown": "U katalogu nema pokazatelja {indicator}",
  "rule.target.baselineNeeded":
    "Najprije unesite razdoblje i vrijednost polazišta za {indicator}: putanja počinje od polazišta",
  "rule.target.notAfterBaseline": "Cilj za {period} mora biti nakon razdoblja polazišta ({baseline})",
  "rule.target.outsidePlan": "Cilj za {period} je izvan godina plana ({from} do {to})",
  "rule.target.duplicatePeriod": "Za {period} već postoji cilj",
  "rule.target.reasonNeeded": "Navedite zašto je cilj za {period} promijenjen s {before} na {after}",
  "rule.target.reasonNeededAdded": "Navedite zašto je u ovoj reviziji dodan cilj za {period} ({after})",
  "rule.action.dueBeforeStart": "Rok ({due}) ne smije biti prije datuma početka ({start})",
  "rule.action.milestoneBeforeStart":
    "Međukorak „{title}” ({date}) ne smije biti prije početka aktivnosti ({start})",
  "rule.action.milestoneAfterDue": "Međukorak „{title}” ({date}) ne smije biti nakon roka aktivnosti ({due})",
  "rule.step.needsIndicator": "Korak {step} može se dovršiti tek kad prioritet ima pokazatelj",
  "rule.step.needsEvidence": "Korak {step} može se dovršiti tek kad ima barem jedan dokaz",
  "rule.step.needsTarget":
    "Korak {step} može se dovršiti tek kad ima cilj (polazište i barem jedan međucilj)",
  "rule.step.needsChosenOption":
    "Korak {step} može se dovršiti tek kad je odabrana opcija, s razlogom odabira",
  "rule.step.needsAction": "Korak {step} može se dovršiti tek kad ima barem jednu aktivnost",
  "rule.step.notCompleted": "Korak {step} nije označen kao dovršen",
  "rule.plan.noPriorities": "Dodajte barem jedan prioritet prije slanja plana",
  "rule.plan.incomplete":
    "Prioriteti kojima nešto nedostaje: {count}. Dovršite njihovih pet koraka prije podnošenja plana na usuglašavanje",
  "rule.report.commentaryNeeded": "{indicator} ({period}) je iznimka i treba komentar nositelja",
  "rule.report.exceptionsUnexplained":
    "Iznimke bez komentara nositelja: {count}. Svaku treba objasniti prije izdavanja izvješća upravi",
  "rule.value.notNumber": "{value} nije broj",
  "rule.value.belowMin":
    "{value} je manje od najmanje vrijednosti koju {indicator} može imati ({min} do {max})",
  "rule.value.aboveMax":
    "{value} je veće od najveće vrijednosti koju {indicator} može imati ({min} do {max})",
  "rule.value.belowMinOnly":
    "{value} je manje od najmanje vrijednosti koju {indicator} može imati ({min} ili više)",
  "rule.value.aboveMaxOnly":
    "{value} je veće od najveće vrijednosti koju {indicator} može imati ({max} ili manje)",
  "rule.value.notWhole": "{value} nije cijeli broj; {indicator} broji cijele jedinice",
  "rule.import.unknownIndicator": "Nepoznat pokazatelj „{value}”: povežite ga s oznakom iz kataloga",
  "rule.import.derivedIndicator":
    "„{indicator}” je izvedeni pokazatelj: njegove se vrijednosti izračunavaju, ne uvoze",
  "rule.import.indicatorTextTooLong": "Naziv pokazatelja može imati najviše {max} znakova",
  "rule.import.unknownArea": "Nepoznata oznaka područja „{value}”",
  "rule.import.badPeriod": "Fivestep ne može pročitati ovo razdoblje",
  "rule.import.wrongPeriodType": "{indicator} se iskazuje po razdobljima tipa {expected}, a ne {found}",
  "rule.import.notNumber": "Nije broj",
  "rule.import.lowerAboveUpper": "Donja granica veća je od gornje",
  "rule.import.badStatus": "Status mora biti „provisional” (privremeno) ili „final” (konačno)",
  "rule.import.badJudgement":
    "„{value}” nije ocjena: upotrijebite Better (bolje), Similar (slično), Worse (lošije), Higher (više), Lower (niže) ili Not compared (nije uspoređeno)",
  "rule.import.noteTooLong": "Napomena može imati najviše {max} znakova",
  "rule.import.breakdownTooLong": "Raščlamba može imati najviše {max} znakova",
  "rule.import.duplicateKey": "Ponavlja redak {firstRow}: isti pokazatelj, područje, razdoblje i raščlamba",
  "rule.import.lockedNeedsReason":
    "Datoteka mijenja vrijednosti u zaključanim razdobljima ({count}): navedite jedan razlog izmjene za sve njih",
  "rule.import.notPending": "Serija uvoza {batch} više ne čeka odobrenje",
};

/**
 * The rule messages by language, for the apps to merge into their catalogues.
 *
 * @example const catalogue = { ...RULE_MESSAGES["hr-HR"], ...appMessages };
 */
export const RULE_MESSAGES: Record<"en-GB" | "hr-HR", Record<string, string>> = {
  "en-GB": RULE_MESSAGES_EN,
  "hr-HR": RULE_MESSAGES_HR,
};
