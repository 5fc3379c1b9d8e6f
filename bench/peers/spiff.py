"""A general-purpose engine beside ours (issue 28): SpiffWorkflow carrying bench/peers/s26_approval.bpmn the way a
web app would. Each step is one transaction: read the workflow's JSON under a row lock, complete the ready user
task, run the engine, serialise, write it back and add one audit row. SQLAlchemy Core on the same engine as ours.

It does less than our workflow per step: no rule checks, no decision row, no outbox rows, no hash chain. That is
the point of the comparison: a team choosing an engine would see this cost per step.
"""

from datetime import datetime, timezone
from pathlib import Path

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, insert, select, update

BPMN = Path(__file__).with_name("s26_approval.bpmn")
STEPS = 5  # submit, then four gates

metadata = MetaData()
peer_workflow = Table(
    "peer_workflow",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("state", Text, nullable=False),
    Column("version", Integer, nullable=False),
)
peer_audit = Table(
    "peer_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workflow_id", Integer, nullable=False, index=True),
    Column("task", String(40), nullable=False),
    Column("at", DateTime, nullable=False),
)


class SpiffPeer:
    def __init__(self, engine):
        self.engine = engine
        parser = BpmnParser()
        parser.add_bpmn_file(str(BPMN))
        self.spec = parser.get_spec("s26_approval")
        self.serializer = BpmnWorkflowSerializer()
        metadata.create_all(engine)

    def start(self, ids):
        """New workflows waiting at "submit", written in bulk (setting up is not what is measured)."""
        workflow = BpmnWorkflow(self.spec)
        workflow.do_engine_steps()
        state = self.serializer.serialize_json(workflow)
        with self.engine.begin() as conn:
            conn.execute(insert(peer_workflow), [{"id": i, "state": state, "version": 1} for i in ids])

    def step(self, workflow_id):
        with self.engine.begin() as conn:
            state = conn.execute(
                select(peer_workflow.c.state).where(peer_workflow.c.id == workflow_id).with_for_update()
            ).scalar_one()
            workflow = self.serializer.deserialize_json(state)
            (task,) = workflow.get_tasks(state=TaskState.READY, manual=True)
            task.run()
            workflow.do_engine_steps()
            conn.execute(
                update(peer_workflow)
                .where(peer_workflow.c.id == workflow_id)
                .values(state=self.serializer.serialize_json(workflow), version=peer_workflow.c.version + 1)
            )
            conn.execute(
                insert(peer_audit).values(
                    workflow_id=workflow_id, task=task.task_spec.name, at=datetime.now(timezone.utc)
                )
            )
            return workflow.is_completed()

    def lifecycle(self, workflow_id):
        for _ in range(STEPS):
            completed = self.step(workflow_id)
        assert completed, "the peer's workflow did not reach its end event"

    def completed(self, ids):
        """How many of these workflows reached the end event (checked after the run, not timed)."""
        with self.engine.connect() as conn:
            states = conn.execute(select(peer_workflow.c.state).where(peer_workflow.c.id.in_(ids))).scalars()
            return sum(self.serializer.deserialize_json(state).is_completed() for state in states)
