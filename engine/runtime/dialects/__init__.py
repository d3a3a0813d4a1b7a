"""Conditions as the editors write them: JUEL (Camunda 7) and FEEL (Camunda 8, DMN) translated
into the Python expression tree the safe evaluator runs, under the same checks and budget."""
