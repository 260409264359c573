"""What type checkers see of trippin: __init__.py loads these names lazily."""

# The package's own uses of its deprecated names are not reported; yours are (see README.md).
# mypy: disable-error-code="deprecated"
from .models.airline import Airline as Airline
from .client.airline import AirlineCollection as AirlineCollection
from .client.airline import AirlineItem as AirlineItem
from .client.airline import AirlinesEntitySet as AirlinesEntitySet
from .models.airport import Airport as Airport
from .client.airport import AirportCollection as AirportCollection
from .client.airport import AirportItem as AirportItem
from .models.airport_location import AirportLocation as AirportLocation
from .client.airport import AirportsEntitySet as AirportsEntitySet
from .client.airline import AsyncAirlineCollection as AsyncAirlineCollection
from .client.airline import AsyncAirlineItem as AsyncAirlineItem
from .client.airline import AsyncAirlinesEntitySet as AsyncAirlinesEntitySet
from .client.airport import AsyncAirportCollection as AsyncAirportCollection
from .client.airport import AsyncAirportItem as AsyncAirportItem
from .client.airport import AsyncAirportsEntitySet as AsyncAirportsEntitySet
from .client.event import AsyncEventCollection as AsyncEventCollection
from .client.event import AsyncEventItem as AsyncEventItem
from .client.flight import AsyncFlightCollection as AsyncFlightCollection
from .client.flight import AsyncFlightItem as AsyncFlightItem
from .client.person import AsyncMeSingleton as AsyncMeSingleton
from .client.person import AsyncPeopleEntitySet as AsyncPeopleEntitySet
from .client.person import AsyncPersonCollection as AsyncPersonCollection
from .client.person import AsyncPersonItem as AsyncPersonItem
from .client.photo import AsyncPhotoCollection as AsyncPhotoCollection
from .client.photo import AsyncPhotoItem as AsyncPhotoItem
from .client.photo import AsyncPhotosEntitySet as AsyncPhotosEntitySet
from .client.plan_item import AsyncPlanItemCollection as AsyncPlanItemCollection
from .client.plan_item import AsyncPlanItemItem as AsyncPlanItemItem
from .client.public_transportation import (
    AsyncPublicTransportationCollection as AsyncPublicTransportationCollection,
)
from .client.public_transportation import (
    AsyncPublicTransportationItem as AsyncPublicTransportationItem,
)
from .client.trip import AsyncTripCollection as AsyncTripCollection
from .client.trip import AsyncTripItem as AsyncTripItem
from .client import AsyncTripPinClient as AsyncTripPinClient
from .models.city import City as City
from .models.event import Event as Event
from .client.event import EventCollection as EventCollection
from .client.event import EventItem as EventItem
from .models.event_location import EventLocation as EventLocation
from .models.flight import Flight as Flight
from .client.flight import FlightCollection as FlightCollection
from .client.flight import FlightItem as FlightItem
from .models.location import Location as Location
from .client.person import MeSingleton as MeSingleton
from .client.person import PeopleEntitySet as PeopleEntitySet
from .models.person import Person as Person
from .client.person import PersonCollection as PersonCollection
from .models.person_gender import PersonGender as PersonGender
from .client.person import PersonItem as PersonItem
from .models.photo import Photo as Photo
from .client.photo import PhotoCollection as PhotoCollection
from .client.photo import PhotoItem as PhotoItem
from .client.photo import PhotosEntitySet as PhotosEntitySet
from .models.plan_item import PlanItem as PlanItem
from .client.plan_item import PlanItemCollection as PlanItemCollection
from .client.plan_item import PlanItemItem as PlanItemItem
from .models.public_transportation import PublicTransportation as PublicTransportation
from .client.public_transportation import (
    PublicTransportationCollection as PublicTransportationCollection,
)
from .client.public_transportation import (
    PublicTransportationItem as PublicTransportationItem,
)
from .models.airline import QAirline as QAirline
from .models.airport import QAirport as QAirport
from .models.airport_location import QAirportLocation as QAirportLocation
from .models.city import QCity as QCity
from .models.event import QEvent as QEvent
from .models.event_location import QEventLocation as QEventLocation
from .models.flight import QFlight as QFlight
from .models.location import QLocation as QLocation
from .models.person import QPerson as QPerson
from .models.photo import QPhoto as QPhoto
from .models.plan_item import QPlanItem as QPlanItem
from .models.public_transportation import QPublicTransportation as QPublicTransportation
from .models.trip import QTrip as QTrip
from .models.trip import Trip as Trip
from .client.trip import TripCollection as TripCollection
from .client.trip import TripItem as TripItem
from .client import TripPinClient as TripPinClient
from codegen.runtime import AuthenticationError as AuthenticationError
from codegen.runtime import AvalaApiAuth as AvalaApiAuth
from codegen.runtime import AvalaApiLogin as AvalaApiLogin
from codegen.runtime import BadRequestError as BadRequestError
from codegen.runtime import BearerAuth as BearerAuth
from codegen.runtime import ClientValidationError as ClientValidationError
from codegen.runtime import ConflictError as ConflictError
from codegen.runtime import DeadlineExceededError as DeadlineExceededError
from codegen.runtime import DeserializationError as DeserializationError
from codegen.runtime import ForbiddenError as ForbiddenError
from codegen.runtime import HTTPError as HTTPError
from codegen.runtime import HeaderAuth as HeaderAuth
from codegen.runtime import MalformedResponseError as MalformedResponseError
from codegen.runtime import NotFoundError as NotFoundError
from codegen.runtime import ODataError as ODataError
from codegen.runtime import PagingError as PagingError
from codegen.runtime import PreconditionFailedError as PreconditionFailedError
from codegen.runtime import RateLimitedError as RateLimitedError
from codegen.runtime import RequestTimeoutError as RequestTimeoutError
from codegen.runtime import ResponseDeserializationError as ResponseDeserializationError
from codegen.runtime import ResponseTooLargeError as ResponseTooLargeError
from codegen.runtime import RetryPolicy as RetryPolicy
from codegen.runtime import ServerError as ServerError
from codegen.runtime import TransportError as TransportError
from codegen.runtime import UNSET as UNSET
from codegen.runtime import UnsafeRedirectError as UnsafeRedirectError
from codegen.runtime import Unset as Unset
from codegen.runtime import structure as structure
from codegen.runtime import unstructure as unstructure
from codegen.runtime.query import Query as Query
from codegen.runtime.query import asc as asc
from codegen.runtime.query import desc as desc
from codegen.runtime.query import expand as expand

__generator_version__: str
__all__ = [
    "Airline",
    "AirlineCollection",
    "AirlineItem",
    "AirlinesEntitySet",
    "Airport",
    "AirportCollection",
    "AirportItem",
    "AirportLocation",
    "AirportsEntitySet",
    "AsyncAirlineCollection",
    "AsyncAirlineItem",
    "AsyncAirlinesEntitySet",
    "AsyncAirportCollection",
    "AsyncAirportItem",
    "AsyncAirportsEntitySet",
    "AsyncEventCollection",
    "AsyncEventItem",
    "AsyncFlightCollection",
    "AsyncFlightItem",
    "AsyncMeSingleton",
    "AsyncPeopleEntitySet",
    "AsyncPersonCollection",
    "AsyncPersonItem",
    "AsyncPhotoCollection",
    "AsyncPhotoItem",
    "AsyncPhotosEntitySet",
    "AsyncPlanItemCollection",
    "AsyncPlanItemItem",
    "AsyncPublicTransportationCollection",
    "AsyncPublicTransportationItem",
    "AsyncTripCollection",
    "AsyncTripItem",
    "AsyncTripPinClient",
    "City",
    "Event",
    "EventCollection",
    "EventItem",
    "EventLocation",
    "Flight",
    "FlightCollection",
    "FlightItem",
    "Location",
    "MeSingleton",
    "PeopleEntitySet",
    "Person",
    "PersonCollection",
    "PersonGender",
    "PersonItem",
    "Photo",
    "PhotoCollection",
    "PhotoItem",
    "PhotosEntitySet",
    "PlanItem",
    "PlanItemCollection",
    "PlanItemItem",
    "PublicTransportation",
    "PublicTransportationCollection",
    "PublicTransportationItem",
    "QAirline",
    "QAirport",
    "QAirportLocation",
    "QCity",
    "QEvent",
    "QEventLocation",
    "QFlight",
    "QLocation",
    "QPerson",
    "QPhoto",
    "QPlanItem",
    "QPublicTransportation",
    "QTrip",
    "Trip",
    "TripCollection",
    "TripItem",
    "TripPinClient",
]
__odata_types__: dict[str, str]
