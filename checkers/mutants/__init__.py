"""Fault injection (issue 12): the proof suite's measured power to catch a wrong rule.

  engine     how a mutant is applied (a public table entry patched, or one function's
             code replaced by a copy with one snippet rewritten) and shown non-equivalent
  witnesses  the computations that show each mutant changes behaviour
  registry   the mutants, by area, each with a one-line reason
  plugin     `-p checkers.mutants.plugin`: applies $LLAD_MUTANT before collection
  runner     the campaign: one fresh pytest process per mutant, 2 at a time
"""
