// seqrate/models — public surface, filled as the models work lands.
export {};
