package dev.imagegallery.api;

/** The admission rule for end-of-life dates; whether the date is past is judged by the controller. */
final class EndOfLife {
    static final String RULE =
            "self.matches('^[0-9]{4}-[0-9]{2}-[0-9]{2}$') ? timestamp(self + 'T00:00:00Z') > timestamp('1970-01-01T00:00:00Z')"
                    + " : (self.matches('^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$')"
                    + " && timestamp(self) > timestamp('1970-01-01T00:00:00Z'))";
    static final String MESSAGE = "must be a date (2027-12-31) or an RFC 3339 time (2027-12-31T00:00:00Z)";

    private EndOfLife() {}
}
