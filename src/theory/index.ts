// seqrate/theory — public surface, filled as the theory work lands.
export {};
