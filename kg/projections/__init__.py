"""Stage 4, projections: the graph's rows read with SPARQL and joined into the networks the outputs
draw."""
