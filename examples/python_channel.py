# The Python side of python-channel.mjs: a job (JSON) and an array (numpy) in over one ShmChannel,
# a summary (JSON) and the scaled array out over another. Needs numpy and the ipclab package
# (pip install ./python, or PYTHONPATH=python as python-channel.mjs sets it).
# readme:start
import sys
from ipclab import ShmChannel

with ShmChannel.open(sys.argv[1]) as jobs, ShmChannel.open(sys.argv[2]) as results:
    job = jobs.receive()                   # {"op": "scale", "factor": 2}, from sendJson
    values = jobs.receive()                # a numpy float64 array, from a Float64Array
    scaled = values * job["factor"]
    results.send_json({"count": len(scaled), "sum": float(scaled.sum())})
    results.send(scaled)                   # a Float64Array in Node
# readme:end
