"""What type checkers see of trippin: __init__.py loads these names lazily."""

from .models.airline import Airline as Airline
from .client import AirlineCollection as AirlineCollection
from .client import AirlineItem as AirlineItem
from .client import AirlinesEntitySet as AirlinesEntitySet
from .models.airport import Airport as Airport
from .client import AirportCollection as AirportCollection
from .client import AirportItem as AirportItem
from .models.airport_location import AirportLocation as AirportLocation
from .client import AirportsEntitySet as AirportsEntitySet
from .client import AsyncAirlineCollection as AsyncAirlineCollection
from .client import AsyncAirlineItem as AsyncAirlineItem
from .client import AsyncAirlinesEntitySet as AsyncAirlinesEntitySet
from .client import AsyncAirportCollection as AsyncAirportCollection
from .client import AsyncAirportItem as AsyncAirportItem
from .client import AsyncAirportsEntitySet as AsyncAirportsEntitySet
from .client import AsyncEventCollection as AsyncEventCollection
from .client import AsyncEventItem as AsyncEventItem
from .client import AsyncFlightCollection as AsyncFlightCollection
from .client import AsyncFlightItem as AsyncFlightItem
from .client import AsyncMeSingleton as AsyncMeSingleton
from .client import AsyncPeopleEntitySet as AsyncPeopleEntitySet
from .client import AsyncPersonCollection as AsyncPersonCollection
from .client import AsyncPersonItem as AsyncPersonItem
from .client import AsyncPhotoCollection as AsyncPhotoCollection
from .client import AsyncPhotoItem as AsyncPhotoItem
from .client import AsyncPhotosEntitySet as AsyncPhotosEntitySet
from .client import AsyncPlanItemCollection as AsyncPlanItemCollection
from .client import AsyncPlanItemItem as AsyncPlanItemItem
from .client import (
    AsyncPublicTransportationCollection as AsyncPublicTransportationCollection,
)
from .client import AsyncPublicTransportationItem as AsyncPublicTransportationItem
from .client import AsyncTripCollection as AsyncTripCollection
from .client import AsyncTripItem as AsyncTripItem
from .client import AsyncTripPinClient as AsyncTripPinClient
from .models.city import City as City
from .models.event import Event as Event
from .client import EventCollection as EventCollection
from .client import EventItem as EventItem
from .models.event_location import EventLocation as EventLocation
from .models.flight import Flight as Flight
from .client import FlightCollection as FlightCollection
from .client import FlightItem as FlightItem
from .models.location import Location as Location
from .client import MeSingleton as MeSingleton
from .client import PeopleEntitySet as PeopleEntitySet
from .models.person import Person as Person
from .client import PersonCollection as PersonCollection
from .models.person_gender import PersonGender as PersonGender
from .client import PersonItem as PersonItem
from .models.photo import Photo as Photo
from .client import PhotoCollection as PhotoCollection
from .client import PhotoItem as PhotoItem
from .client import PhotosEntitySet as PhotosEntitySet
from .models.plan_item import PlanItem as PlanItem
from .client import PlanItemCollection as PlanItemCollection
from .client import PlanItemItem as PlanItemItem
from .models.public_transportation import PublicTransportation as PublicTransportation
from .client import PublicTransportationCollection as PublicTransportationCollection
from .client import PublicTransportationItem as PublicTransportationItem
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
from .client import TripCollection as TripCollection
from .client import TripItem as TripItem
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
