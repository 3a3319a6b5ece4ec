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
  "rule.value.notNumber": "{value} is not a number",
  "rule.value.belowMin": "{value} is below the smallest value {indicator} can take ({min} to {max})",
  "rule.value.aboveMax": "{value} is above the largest value {indicator} can take ({min} to {max})",
  "rule.value.belowMinOnly": "{value} is below the smallest value {indicator} can take ({min} or more)",
  "rule.value.aboveMaxOnly": "{value} is above the largest value {indicator} can take ({max} or less)",
  "rule.value.notWhole": "{value} is not a whole number; {indicator} counts whole things",
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
