"""The documents of Directive (EU) 2023/970 that rest on the plan and the pay survey's record (issue 21):
the worker's answer and the log of requests (art. 7, `art7`) and the joint pay assessment (art. 10,
`art10`). They call the plan's functions (the pay survey's findings, the art. 10 path, its dates), so
they live on the plan's floor; the figures they write come from subgoals/pay in exact figures. No
Streamlit here."""
