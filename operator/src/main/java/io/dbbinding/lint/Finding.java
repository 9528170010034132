package io.dbbinding.lint;

/**
 * One rule broken by one statement, before it is placed in its file and line.
 *
 * @param message what is wrong, then {@code "; instead "} and the rule's safe alternative
 */
record Finding(Rule rule, String message) {}
