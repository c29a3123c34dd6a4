"""The sample newspapers: fictional papers served over local HTTP for the demo and the tests.

`content` loads and checks the article files, `truth` derives the ground truth from them, and
`server.DemoNewspapers` serves every paper on its own 127.0.0.1 port.
"""
