// seqrate/experiments — public surface, filled as the experiments work lands.
export {};
